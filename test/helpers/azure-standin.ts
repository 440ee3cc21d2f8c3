// Azure DevOps Services (or a server's collection), on loopback: the Work Item Tracking calls the Azure DevOps
// source makes, over an in-memory project of work items. Every request is judged by Microsoft's description of the
// operations (./azure-routes.ts: method, route, api-version, query parameters, content type), and the answers are
// typed by azure-devops-node-api's interfaces (test/fixtures/azure-devops/interfaces), so `tsc --noEmit` holds them
// to Microsoft's shapes. What does not fit is recorded in `invalid`.
import type {
  Comment,
  CommentList,
  WorkItem,
  WorkItemQueryResult,
  WorkItemStateColor,
  WorkItemTypeCategory,
} from '../fixtures/azure-devops/interfaces/WorkItemTrackingInterfaces.js';
import type { ConnectionData } from '../fixtures/azure-devops/interfaces/LocationsInterfaces.js';
import { judgeRequest } from './azure-routes.js';
import { startStandinServer, type SeenRequest, type StandinAnswer, type StandinServer } from './standin-http.js';

export interface AzureUser {
  id: string;
  displayName: string;
  uniqueName: string;
}

export interface AzureStandinItem {
  id: number;
  project: string;
  type: string;
  title: string;
  state: string;
  /** A user's uniqueName, or null. */
  assignedTo: string | null;
  /** HTML. */
  description: string | null;
  tags: string[];
  priority: number | null;
  /** A date-time, UTC, or null. */
  dueDate: string | null;
  /** HTML, oldest first. */
  comments: string[];
  created: string;
  changed: string;
}

export interface AzureStandin extends StandinServer {
  /** The organization (or collection) URL, as AZURE_DEVOPS_ORG_URL names it. */
  orgUrl: string;
  token: string;
  me: AzureUser;
  other: AzureUser;
  projects: string[];
  items: AzureStandinItem[];
  /** Each type's states, in order, with their categories. */
  types: Record<string, WorkItemStateColor[]>;
  /** Requests that are no described operation, or that break its description, and bodies that do not fit. */
  invalid: { path: string; problem: string }[];
  addItem(fields: Partial<AzureStandinItem> & { title: string }): AzureStandinItem;
  /** Headers added to the next answer the service gives itself: a delayed token's Retry-After and X-RateLimit-*. */
  delayNext(headers: Record<string, string>): void;
  reset(): void;
}

const state = (name: string, category: string): WorkItemStateColor => ({ name, category, color: '007acc' });
const TYPES: Record<string, WorkItemStateColor[]> = {
  Task: [
    state('New', 'Proposed'),
    state('Active', 'InProgress'),
    state('Closed', 'Completed'),
    state('Removed', 'Removed'),
  ],
  Bug: [
    state('New', 'Proposed'),
    state('Active', 'InProgress'),
    state('Resolved', 'Resolved'),
    state('Closed', 'Completed'),
  ],
  // An inherited process's own state: closed by its category, whatever its name.
  'User Story': [
    state('New', 'Proposed'),
    state('Active', 'InProgress'),
    state('Shipped', 'Completed'),
    state('Closed', 'Completed'),
  ],
};
const CATEGORIES: Record<string, string> = {
  'Microsoft.TaskCategory': 'Task',
  'Microsoft.RequirementCategory': 'User Story',
  'Microsoft.BugCategory': 'Bug',
};

/** Azure DevOps' error body: a TF code and a message, with the exception's type. */
const error = (status: number, message: string, typeKey = 'VssServiceException'): StandinAnswer => ({
  status,
  body: {
    $id: '1',
    innerException: null,
    message,
    typeName: `Microsoft.VisualStudio.Services.${typeKey}`,
    typeKey,
    errorCode: 0,
    eventId: 3000,
  },
});

const FIELD = /^\/fields\/(.+)$/;

export async function startAzureStandin(
  opts: { collection?: string; projects?: string[] } = {},
): Promise<AzureStandin> {
  const collection = opts.collection ?? 'acme';
  const token = 'azdo-pat-standin-0123456789abcdef';
  const me: AzureUser = {
    id: '6f0f5d3e-0000-4000-8000-00000000da9a',
    displayName: 'Dana Viewer',
    uniqueName: 'dana@example.com',
  };
  const other: AzureUser = {
    id: '6f0f5d3e-0000-4000-8000-0000000001a0',
    displayName: 'Ola Other',
    uniqueName: 'ola@example.com',
  };
  const projects = opts.projects ?? ['Widgets'];
  const items: AzureStandinItem[] = [];
  const invalid: AzureStandin['invalid'] = [];
  let clock = Date.parse('2026-11-01T00:00:00Z');
  const stamp = (): string => new Date((clock += 1000)).toISOString();
  let orgUrl = '';

  const addItem = (fields: Partial<AzureStandinItem> & { title: string }): AzureStandinItem => {
    const at = stamp();
    const type = fields.type ?? 'Task';
    const item: AzureStandinItem = {
      id: 100 + items.length + 1,
      project: projects[0] as string,
      type,
      state: TYPES[type]?.[0]?.name ?? 'New',
      assignedTo: me.uniqueName,
      description: null,
      tags: [],
      priority: 2,
      dueDate: null,
      comments: [],
      created: at,
      changed: at,
      ...fields,
    };
    items.push(item);
    return item;
  };

  const userOf = (name: string | null): AzureUser | undefined =>
    [me, other].find((u) => name !== null && (u.uniqueName === name || u.displayName === name));
  const identity = (u: AzureUser) => ({
    displayName: u.displayName,
    uniqueName: u.uniqueName,
    id: u.id,
    url: `${orgUrl}/_apis/Identities/${u.id}`,
  });

  const workItem = (i: AzureStandinItem, only?: readonly string[]): WorkItem => {
    const assignee = userOf(i.assignedTo);
    const all: Record<string, unknown> = {
      'System.Id': i.id,
      'System.TeamProject': i.project,
      'System.WorkItemType': i.type,
      'System.State': i.state,
      'System.Title': i.title,
      'System.CreatedDate': i.created,
      'System.ChangedDate': i.changed,
      ...(assignee ? { 'System.AssignedTo': identity(assignee) } : {}),
      ...(i.description !== null ? { 'System.Description': i.description } : {}),
      ...(i.tags.length ? { 'System.Tags': i.tags.join('; ') } : {}),
      ...(i.priority !== null ? { 'Microsoft.VSTS.Common.Priority': i.priority } : {}),
      ...(i.dueDate !== null ? { 'Microsoft.VSTS.Scheduling.DueDate': i.dueDate } : {}),
    };
    const fields = Object.fromEntries(Object.entries(all).filter(([k]) => !only || only.includes(k)));
    return { id: i.id, rev: 1, fields, url: `${orgUrl}/${encodeURIComponent(i.project)}/_apis/wit/workItems/${i.id}` };
  };

  /** The WIQL the source sends, as far as the stand-in reads it: a clause it does not know is refused, as a TF error. */
  const wiqlFilter = (wiql: string, project: string): ((i: AzureStandinItem) => boolean) | string => {
    const m = /^\s*SELECT\s+.+?\s+FROM\s+WorkItems(?:\s+WHERE\s+(.*?))?(?:\s+ORDER\s+BY\s+(.*))?\s*$/is.exec(wiql);
    if (!m) return `TF51006: The query statement is missing a FROM clause: ${wiql}`;
    const tests: ((i: AzureStandinItem) => boolean)[] = [];
    const values = (list: string): string[] =>
      [...list.matchAll(/'((?:[^']|'')*)'/g)].map((v) => (v[1] as string).replace(/''/g, "'"));
    for (const clause of m[1] ? m[1].split(/\s+AND\s+/i) : []) {
      const c = clause.trim();
      let k: RegExpExecArray | null;
      if (/^\[System\.TeamProject\]\s*=\s*@project$/i.test(c)) tests.push((i) => i.project === project);
      else if (/^\[System\.AssignedTo\]\s*=\s*@Me$/i.test(c)) tests.push((i) => i.assignedTo === me.uniqueName);
      else if ((k = /^\[System\.(State|WorkItemType)\]\s*(NOT\s+IN|IN)\s*\((.*)\)$/i.exec(c))) {
        const field = k[1]?.toLowerCase() === 'state' ? 'state' : 'type';
        const list = values(k[3] as string);
        const not = /^not/i.test(k[2] as string);
        tests.push((i) => list.includes(i[field]) !== not);
      } else if ((k = /^\[System\.(State|WorkItemType)\]\s*(=|<>)\s*'(.*)'$/i.exec(c))) {
        const field = k[1]?.toLowerCase() === 'state' ? 'state' : 'type';
        const [want, eq] = [k[3], k[2] === '='];
        tests.push((i) => (i[field] === want) === eq);
      } else return `TF51005: The query references a field or macro the stand-in does not read: ${c}`;
    }
    return (i) => tests.every((t) => t(i));
  };

  const order = (a: AzureStandinItem, b: AzureStandinItem): number =>
    (a.priority ?? 2) - (b.priority ?? 2) || (a.changed < b.changed ? 1 : -1);

  const wiql = (req: SeenRequest, project: string, query: URLSearchParams): StandinAnswer => {
    const text = (req.body as { query?: unknown } | undefined)?.query;
    if (typeof text !== 'string') return error(400, 'VS403438: The WIQL query is missing.');
    const filter = wiqlFilter(text, project);
    if (typeof filter === 'string') return error(400, filter, 'WorkItemTrackingQueryException');
    const top = Number(query.get('$top') ?? 20000);
    const found = items.filter(filter).sort(order);
    if (found.length > 20000 && top > 20000)
      return error(400, 'VS402337: The number of work items returned exceeds the size limit of 20000.');
    const result: WorkItemQueryResult = {
      asOf: new Date(clock),
      columns: [{ referenceName: 'System.Id', name: 'ID', url: `${orgUrl}/_apis/wit/fields/System.Id` }],
      workItems: found.slice(0, top).map((i) => ({ id: i.id, url: workItem(i).url as string })),
    };
    return { status: 200, body: { queryType: 'flat', queryResultType: 'workItem', ...result } };
  };

  const batch = (req: SeenRequest, project: string): StandinAnswer => {
    const body = req.body as { ids?: unknown; fields?: unknown; errorPolicy?: unknown } | undefined;
    const ids = body?.ids;
    if (!Array.isArray(ids) || !ids.every((n) => Number.isInteger(n)))
      return error(400, 'VS403474: ids is required and must be a list of work item ids.');
    if (ids.length > 200) return error(400, 'VS402336: You can only get up to 200 work items in one batch.');
    const fields = Array.isArray(body?.fields) ? (body.fields as string[]) : undefined;
    const policy = String(body?.errorPolicy ?? 'fail').toLowerCase();
    if (policy !== 'omit' && policy !== 'fail') invalid.push({ path: req.path, problem: `errorPolicy ${policy}` });
    const value: (WorkItem | null)[] = [];
    for (const id of ids as number[]) {
      const found = items.find((i) => i.id === id && i.project === project);
      if (!found && policy === 'fail')
        return error(404, `TF401232: Work item ${id} does not exist, or you do not have permissions to read it.`);
      value.push(found ? workItem(found, fields) : null);
    }
    return { status: 200, body: { count: value.length, value } };
  };

  /** A JSON Patch document applied to an item's fields, as Azure DevOps' rules check it; an error answer when refused. */
  const applyPatch = (req: SeenRequest, item: AzureStandinItem): StandinAnswer | undefined => {
    if (!Array.isArray(req.body)) return error(400, 'VS403357: The JSON Patch document is not a list of operations.');
    for (const op of req.body as { op?: unknown; path?: unknown; value?: unknown }[]) {
      const field = typeof op.path === 'string' ? FIELD.exec(op.path)?.[1] : undefined;
      if (!field || !['add', 'replace', 'remove'].includes(String(op.op))) {
        invalid.push({ path: req.path, problem: `patch operation ${JSON.stringify(op)}` });
        return error(400, `VS403357: ${String(op.op)} ${String(op.path)} is no field operation.`);
      }
      const value = op.op === 'remove' ? null : op.value;
      if (field === 'System.State') {
        if (!TYPES[item.type]?.some((s) => s.name === value))
          return error(
            400,
            `TF401320: Rule Error for field State. Error code: Required, HasValues, LimitedToValues, AllowsOldValue, InvalidEmpty.`,
          );
        item.state = String(value);
      } else if (field === 'System.Title') item.title = String(value ?? '');
      else if (field === 'System.Description') item.description = value === null ? null : String(value);
      else if (field === 'System.Tags')
        item.tags = String(value ?? '')
          .split(';')
          .map((t) => t.trim())
          .filter(Boolean);
      else if (field === 'Microsoft.VSTS.Common.Priority') {
        if (value !== null && ![1, 2, 3, 4].includes(Number(value)))
          return error(400, 'TF401320: Rule Error for field Priority.');
        item.priority = value === null ? null : Number(value);
      } else if (field === 'Microsoft.VSTS.Scheduling.DueDate') {
        if (value !== null && Number.isNaN(Date.parse(String(value))))
          return error(400, `TF401326: Invalid field value ${String(value)} for DueDate.`);
        item.dueDate = value === null ? null : new Date(String(value)).toISOString().replace('.000Z', 'Z');
      } else if (field === 'System.AssignedTo') {
        const u = value === null ? undefined : userOf(String(value));
        if (value !== null && !u)
          return error(400, `TF401320: Rule Error for field Assigned To: ${String(value)} is no identity.`);
        item.assignedTo = u?.uniqueName ?? null;
      } else return error(400, `TF51535: Cannot find field ${field}.`);
    }
    item.changed = stamp();
    return undefined;
  };

  const comments = (req: SeenRequest, item: AzureStandinItem): StandinAnswer => {
    if (req.method === 'POST') {
      const text = (req.body as { text?: unknown } | undefined)?.text;
      if (typeof text !== 'string' || !text) return error(400, 'VS403400: The comment text is required.');
      item.comments.push(text);
      const made: Comment = {
        workItemId: item.id,
        id: item.comments.length,
        version: 1,
        text,
        createdBy: identity(me),
        createdDate: new Date(clock),
        isDeleted: false,
      };
      return { status: 200, body: made };
    }
    const list: CommentList = {
      totalCount: item.comments.length,
      count: item.comments.length,
      comments: item.comments.map((text, n) => ({
        workItemId: item.id,
        id: n + 1,
        version: 1,
        text,
        createdBy: identity(me),
        createdDate: new Date(clock),
        isDeleted: false,
      })),
    };
    return { status: 200, body: list };
  };

  const create = (req: SeenRequest, project: string, type: string): StandinAnswer => {
    if (!TYPES[type]) return error(404, `VS402323: Work item type ${type} does not exist in project ${project}.`);
    const item = addItem({ title: '', project, type, assignedTo: null, priority: 2 });
    const refused = applyPatch(req, item);
    if (refused || !item.title) {
      items.splice(items.indexOf(item), 1);
      return refused ?? error(400, 'TF401320: Rule Error for field Title. Error code: Required, InvalidEmpty.');
    }
    return { status: 200, body: workItem(item) };
  };

  const inProject = (req: SeenRequest, project: string, rest: string, query: URLSearchParams): StandinAnswer => {
    if (/^\/_apis\/wit\/wiql$/i.test(rest) && req.method === 'POST') return wiql(req, project, query);
    if (/^\/_apis\/wit\/workitemsbatch$/i.test(rest) && req.method === 'POST') return batch(req, project);
    let m: RegExpExecArray | null;
    if ((m = /^\/_apis\/wit\/workitemtypes\/([^/]+)\/states$/i.exec(rest))) {
      const states = TYPES[decodeURIComponent(m[1] as string)];
      return states
        ? { status: 200, body: { count: states.length, value: states } }
        : error(404, 'VS402323: Work item type does not exist.');
    }
    if ((m = /^\/_apis\/wit\/workitemtypecategories\/([^/]+)$/i.exec(rest))) {
      const name = CATEGORIES[decodeURIComponent(m[1] as string)];
      if (!name) return error(404, 'TF201074: The work item type category does not exist.');
      const category: WorkItemTypeCategory = {
        name: m[1],
        referenceName: m[1],
        defaultWorkItemType: { name, url: `${orgUrl}/_apis/wit/workItemTypes/${name}` },
      };
      return { status: 200, body: category };
    }
    if ((m = /^\/_apis\/wit\/workitems\/\$([^/]+)$/i.exec(rest)) && req.method === 'POST')
      return create(req, project, decodeURIComponent(m[1] as string));
    if ((m = /^\/_apis\/wit\/workitems\/(\d+)(\/comments)?$/i.exec(rest))) {
      const item = items.find((i) => i.id === Number(m?.[1]) && i.project === project);
      if (!item)
        return error(404, `TF401232: Work item ${m[1]} does not exist, or you do not have permissions to read it.`);
      if (m[2]) return comments(req, item);
      if (req.method === 'PATCH') return applyPatch(req, item) ?? { status: 200, body: workItem(item) };
      return { status: 200, body: workItem(item) };
    }
    return error(404, `No route ${req.method} ${rest}`);
  };

  const handle = (req: SeenRequest): StandinAnswer => {
    const url = new URL(req.path, 'http://x');
    const prefix = `/${collection}`;
    if (!url.pathname.toLowerCase().startsWith(`${prefix.toLowerCase()}/`))
      return error(404, `TF400813: no collection at ${url.pathname}`);
    const rest = url.pathname.slice(prefix.length);
    const judged = judgeRequest({
      method: req.method,
      path: rest,
      query: url.searchParams,
      contentType: req.contentType,
    });
    for (const problem of judged.problems) invalid.push({ path: req.path, problem });
    const [user, password] = Buffer.from((req.authorization ?? '').replace(/^Basic /, ''), 'base64')
      .toString()
      .split(/:(.*)/s);
    if (!req.authorization?.startsWith('Basic ') || user === undefined || password !== token)
      return error(
        401,
        'TF400813: The user is not authorized to access this resource.',
        'UnauthorizedRequestException',
      );
    if (/^\/_apis\/connectionData$/i.test(rest)) {
      const data: ConnectionData = {
        authenticatedUser: {
          id: me.id,
          providerDisplayName: me.displayName,
          isActive: true,
          properties: { Account: { $type: 'System.String', $value: me.uniqueName } },
        } as ConnectionData['authenticatedUser'],
        instanceId: '00000000-0000-4000-8000-000000000acd',
      };
      return { status: 200, body: { ...data, authorizedUser: data.authenticatedUser } };
    }
    const m = /^\/([^/]+)(\/_apis\/.*)$/.exec(rest);
    if (!m) return error(404, `No route ${req.method} ${rest}`);
    const project = decodeURIComponent(m[1] as string);
    if (!projects.includes(project))
      return error(
        404,
        `TF200016: The following project does not exist: ${project}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.`,
        'ProjectDoesNotExistException',
      );
    return inProject(req, project, m[2] as string, url.searchParams);
  };

  let delayed: Record<string, string> | undefined;
  const server = await startStandinServer((req) => {
    const answer = handle(req);
    if (delayed) answer.headers = { ...answer.headers, ...delayed };
    delayed = undefined;
    return answer;
  });
  orgUrl = `${server.url}/${collection}`;
  return Object.assign(server, {
    orgUrl,
    token,
    me,
    other,
    projects,
    items,
    types: TYPES,
    invalid,
    addItem,
    delayNext: (headers: Record<string, string>) => {
      delayed = headers;
    },
    reset() {
      items.length = 0;
      invalid.length = 0;
      server.requests.length = 0;
      server.tamper = undefined;
    },
  });
}
