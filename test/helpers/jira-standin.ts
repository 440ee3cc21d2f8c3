// Jira Cloud, on loopback: the REST v3 calls the Jira source makes, over an in-memory set of issues. Each handler is
// typed by jira.js's models (generated from Atlassian's OpenAPI description; those used here are vendored in
// test/fixtures/jira/), so `tsc --noEmit` holds the answers to Jira's shapes; at run time every request body and every
// answer is parsed with the same models' zod schemas, and the issue fields the adapter reads with theirs. A request or
// answer that does not fit is recorded in `invalid`.
import {
  CommentInputSchema,
  CommentSchema,
  CreatedIssueSchema,
  DashboardUserSchema,
  IssueSchema,
  IssueUpdateDetailsSchema,
  PrioritySchema,
  SearchAndReconcileRequestSchema,
  SearchAndReconcileResultsSchema,
  StatusDetailsSchema,
  TransitionsSchema,
  UserDetailsSchema,
  type Comment,
  type CreatedIssue,
  type DashboardUser,
  type Issue,
  type SearchAndReconcileResults,
  type Transitions,
} from '../fixtures/jira/schemas.mjs';
import type { ZodType } from 'zod';
import { startStandinServer, type SeenRequest, type StandinAnswer, type StandinServer } from './standin-http.js';

export interface JiraStandinStatus {
  id: string;
  name: string;
  category: 'new' | 'indeterminate' | 'done';
}

export interface JiraStandinIssue {
  id: string;
  key: string;
  project: string;
  summary: string;
  /** Plain text; sent as Atlassian Document Format. */
  description: string | null;
  statusId: string;
  priority: string | null;
  assignee: string | null;
  labels: string[];
  issueType: string;
  comments: unknown[];
  /** The system field `duedate`: a day, `YYYY-MM-DD`, or null. */
  duedate: string | null;
  created: string;
  updated: string;
}

export interface JiraStandin extends StandinServer {
  /** The site, as JIRA_BASE_URL would name it. */
  site: string;
  email: string;
  token: string;
  me: { accountId: string; displayName: string };
  statuses: JiraStandinStatus[];
  issues: JiraStandinIssue[];
  projects: string[];
  /** Requests and answers that did not fit jira.js's models, and JQL the stand-in does not know. */
  invalid: { path: string; problem: string }[];
  /** Fields the project's create and edit screens lack: Jira refuses to set them. */
  offScreen: Set<string>;
  addIssue(fields: Partial<JiraStandinIssue> & { summary: string }): JiraStandinIssue;
  reset(): void;
}

const STATUSES: JiraStandinStatus[] = [
  { id: '10000', name: 'To Do', category: 'new' },
  { id: '10001', name: 'In Progress', category: 'indeterminate' },
  { id: '10002', name: 'Blocked', category: 'indeterminate' },
  { id: '10003', name: 'Done', category: 'done' },
];
const CATEGORY_IDS = { new: 2, indeterminate: 4, done: 3 } as const;
const PRIORITY_ORDER = ['Highest', 'High', 'Medium', 'Low', 'Lowest'];

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A description sent in Atlassian Document Format, kept as its text: a line per paragraph. */
const descriptionOf = (doc: unknown): string | null => {
  type Node = { text?: string; content?: Node[] };
  if (!doc) return null;
  return ((doc as Node).content ?? []).map((p) => (p.content ?? []).map((n) => n.text ?? '').join('')).join('\n');
};

const error = (status: number, message: string): StandinAnswer => ({
  status,
  body: { errorMessages: [message], errors: {} },
});

export async function startJiraStandin(opts: { projects?: string[] } = {}): Promise<JiraStandin> {
  const email = 'sam@example.com';
  const token = 'ATATT3xFfGF0standin-token-0000';
  const me = { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Sam Viewer' };
  const other = { accountId: '5b10a2844c20165700ede21g', displayName: 'Ola Other' };
  const projects = opts.projects ?? ['ABC'];
  const issues: JiraStandinIssue[] = [];
  const invalid: JiraStandin['invalid'] = [];
  const offScreen = new Set<string>();
  const counters = new Map<string, number>();
  let clock = Date.parse('2026-11-01T00:00:00Z');
  const stamp = (): string => new Date((clock += 1000)).toISOString().replace('Z', '+0000');
  let site = '';

  const addIssue = (fields: Partial<JiraStandinIssue> & { summary: string }): JiraStandinIssue => {
    const project = fields.project ?? (projects[0] as string);
    const n = (counters.get(project) ?? 0) + 1;
    counters.set(project, n);
    const at = stamp();
    const issue: JiraStandinIssue = {
      id: String(10000 + issues.length + 1),
      key: `${project}-${n}`,
      project,
      description: null,
      statusId: '10000',
      priority: 'Medium',
      assignee: me.accountId,
      labels: [],
      issueType: 'Task',
      comments: [],
      duedate: null,
      created: at,
      updated: at,
      ...fields,
    };
    issues.push(issue);
    return issue;
  };

  /** Parses `value` with a jira.js schema, recording what does not fit. */
  const check = (path: string, what: string, schema: ZodType, value: unknown): void => {
    const result = schema.safeParse(value);
    if (!result.success)
      invalid.push({
        path,
        problem: `${what}: ${result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      });
  };

  const statusOf = (issue: JiraStandinIssue): JiraStandinStatus =>
    STATUSES.find((s) => s.id === issue.statusId) as JiraStandinStatus;
  const statusDetails = (s: JiraStandinStatus) => ({
    self: `${site}/rest/api/3/status/${s.id}`,
    id: s.id,
    name: s.name,
    statusCategory: {
      self: `${site}/rest/api/3/statuscategory/${CATEGORY_IDS[s.category]}`,
      id: CATEGORY_IDS[s.category],
      key: s.category,
      name: s.category,
    },
  });
  const user = (accountId: string | null) => {
    const u = [me, other].find((x) => x.accountId === accountId);
    return u ? { accountId: u.accountId, displayName: u.displayName, active: true, accountType: 'atlassian' } : null;
  };
  const adf = (text: string | null) =>
    text === null
      ? null
      : { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };

  const bean = (issue: JiraStandinIssue, fields: string[]): Issue => {
    const all: Record<string, unknown> = {
      summary: issue.summary,
      status: statusDetails(statusOf(issue)),
      priority: issue.priority
        ? {
            self: `${site}/rest/api/3/priority/3`,
            id: String(PRIORITY_ORDER.indexOf(issue.priority) + 1),
            name: issue.priority,
          }
        : null,
      assignee: user(issue.assignee),
      labels: issue.labels,
      description: adf(issue.description),
      created: issue.created,
      updated: issue.updated,
      duedate: issue.duedate,
      comment: {
        comments: issue.comments.map((body, i) => ({ id: String(i + 1), body })),
        maxResults: 50,
        total: issue.comments.length,
        startAt: 0,
      },
    };
    const out: Issue = {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: issue.id,
      self: `${site}/rest/api/3/issue/${issue.id}`,
      key: issue.key,
      fields: Object.fromEntries(Object.entries(all).filter(([k]) => fields.length === 0 || fields.includes(k))),
    };
    // The fields the adapter reads, each by its own model.
    if (out.fields?.status) check(issue.key, 'fields.status', StatusDetailsSchema, out.fields.status);
    if (out.fields?.priority) check(issue.key, 'fields.priority', PrioritySchema, out.fields.priority);
    if (out.fields?.assignee) check(issue.key, 'fields.assignee', UserDetailsSchema, out.fields.assignee);
    return out;
  };

  /** The JQL the source sends, as far as the stand-in reads it: each clause it does not know is refused, as Jira would. */
  const jqlFilter = (jql: string): ((i: JiraStandinIssue) => boolean) | string => {
    const where = jql
      .replace(/\sORDER\s+BY\s.*$/i, '')
      .replace(/currentUser\(\s*\)/gi, 'CURRENT_USER')
      .replace(/[()]/g, ' ')
      .trim();
    const tests: ((i: JiraStandinIssue) => boolean)[] = [];
    for (const clause of where ? where.split(/\s+AND\s+/i) : []) {
      const c = clause.trim();
      let m: RegExpExecArray | null;
      if (/^assignee\s*=\s*CURRENT_USER$/.test(c)) tests.push((i) => i.assignee === me.accountId);
      else if ((m = /^statusCategory\s*(!=|=)\s*"?([\w ]+?)"?$/i.exec(c))) {
        const want =
          m[2]?.toLowerCase() === 'done' ? 'done' : m[2]?.toLowerCase() === 'in progress' ? 'indeterminate' : 'new';
        const eq = m[1] === '=';
        tests.push((i) => (statusOf(i).category === want) === eq);
      } else if ((m = /^project\s*=\s*"?([A-Za-z0-9_]+)"?$/.exec(c))) {
        const key = m[1] as string;
        if (!projects.includes(key)) return `The value '${key}' does not exist for the field 'project'.`;
        tests.push((i) => i.project === key);
      } else return `Error in the JQL Query: the stand-in does not read "${c}"`;
    }
    return (i) => tests.every((t) => t(i));
  };

  const order = (a: JiraStandinIssue, b: JiraStandinIssue): number =>
    PRIORITY_ORDER.indexOf(a.priority ?? 'Medium') - PRIORITY_ORDER.indexOf(b.priority ?? 'Medium') ||
    (a.updated < b.updated ? 1 : -1);

  const find = (key: string): JiraStandinIssue | undefined =>
    issues.find((i) => i.key === decodeURIComponent(key) || i.id === key);

  const answer = <T>(path: string, what: string, schema: ZodType, status: number, body: T): StandinAnswer => {
    check(path, what, schema, body);
    return { status, body };
  };

  const search = (req: SeenRequest): StandinAnswer => {
    check(req.path, 'search request', SearchAndReconcileRequestSchema, req.body);
    const body = req.body as { jql?: string; fields?: string[]; maxResults?: number; nextPageToken?: string };
    const filter = jqlFilter(body.jql ?? '');
    if (typeof filter === 'string') return error(400, filter);
    const found = issues.filter(filter).sort(order);
    const start = body.nextPageToken ? Number(Buffer.from(body.nextPageToken, 'base64url').toString()) : 0;
    const max = Math.min(body.maxResults ?? 50, 100);
    const page = found.slice(start, start + max);
    const end = start + page.length;
    const result: SearchAndReconcileResults = {
      issues: page.map((i) => bean(i, body.fields ?? [])),
      isLast: end >= found.length,
      ...(end < found.length ? { nextPageToken: Buffer.from(String(end)).toString('base64url') } : {}),
    };
    return answer(req.path, 'search answer', SearchAndReconcileResultsSchema, 200, result);
  };

  const transitionsOf = (issue: JiraStandinIssue): Transitions => ({
    expand: 'transitions',
    transitions: STATUSES.filter((s) => s.id !== issue.statusId).map((s) => ({
      id: `1${s.id.slice(-2)}`,
      name: s.name,
      to: statusDetails(s),
      hasScreen: false,
      isGlobal: true,
      isInitial: false,
      isAvailable: true,
      isConditional: false,
      looped: false,
    })),
  });

  const issueRoute = (req: SeenRequest, issue: JiraStandinIssue, rest: string): StandinAnswer => {
    const url = new URL(req.path, 'http://x');
    if (rest === '' && req.method === 'GET') {
      const fields = url.searchParams.get('fields')?.split(',') ?? [];
      return answer(req.path, 'issue answer', IssueSchema, 200, bean(issue, fields));
    }
    if (rest === '' && req.method === 'PUT') return edit(req, issue);
    if (rest === '/transitions' && req.method === 'GET')
      return answer(req.path, 'transitions', TransitionsSchema, 200, transitionsOf(issue));
    if (rest === '/transitions' && req.method === 'POST') {
      check(req.path, 'transition request', IssueUpdateDetailsSchema, req.body);
      const id = (req.body as { transition?: { id?: string } }).transition?.id;
      const to = transitionsOf(issue).transitions?.find((t) => t.id === id);
      if (!to?.to?.id) return error(400, `Transition id '${id}' is not valid for this issue.`);
      issue.statusId = to.to.id;
      issue.updated = stamp();
      return { status: 204, body: undefined };
    }
    if (rest === '/comment' && req.method === 'POST') {
      check(req.path, 'comment request', CommentInputSchema, req.body);
      const body = (req.body as { body?: unknown }).body;
      issue.comments.push(body);
      const comment: Comment = {
        self: `${site}/rest/api/3/issue/${issue.id}/comment/${issue.comments.length}`,
        id: String(issue.comments.length),
        author: user(me.accountId) ?? undefined,
        body: body as Comment['body'],
        created: new Date(),
        updated: new Date(),
      };
      return answer(req.path, 'comment answer', CommentSchema, 201, comment);
    }
    if (rest === '/assignee' && req.method === 'PUT') {
      check(req.path, 'assignee request', DashboardUserSchema, req.body);
      issue.assignee = (req.body as { accountId?: string | null }).accountId ?? null;
      return { status: 204, body: undefined };
    }
    return error(404, `No route ${req.method} ${req.path}`);
  };

  /** The fields a create or an edit sets, as Jira refuses them: a 400 naming each field in `errors`. */
  const fieldErrors = (fields: Record<string, unknown>, settable: readonly string[]): StandinAnswer | undefined => {
    const errors: Record<string, string> = {};
    for (const name of Object.keys(fields))
      if (!settable.includes(name) || offScreen.has(name))
        errors[name] = `Field '${name}' cannot be set. It is not on the appropriate screen, or unknown.`;
    const due = fields.duedate;
    // Jira's date fields take the day only; null clears one.
    if (
      due !== undefined &&
      due !== null &&
      !(typeof due === 'string' && DAY.test(due) && !Number.isNaN(Date.parse(due)))
    )
      errors.duedate = `Error parsing date string: ${String(due)}`;
    return Object.keys(errors).length ? { status: 400, body: { errorMessages: [], errors } } : undefined;
  };

  const edit = (req: SeenRequest, issue: JiraStandinIssue): StandinAnswer => {
    check(req.path, 'edit request', IssueUpdateDetailsSchema, req.body);
    const fields = (req.body as { fields?: Record<string, unknown> }).fields ?? {};
    const refused = fieldErrors(fields, ['summary', 'description', 'priority', 'duedate']);
    if (refused) return refused;
    if (typeof fields.summary === 'string') issue.summary = fields.summary;
    if ('description' in fields) issue.description = descriptionOf(fields.description);
    if (fields.priority) issue.priority = (fields.priority as { name?: string }).name ?? issue.priority;
    if ('duedate' in fields) issue.duedate = (fields.duedate as string | null) ?? null;
    issue.updated = stamp();
    return { status: 204, body: undefined };
  };

  const create = (req: SeenRequest): StandinAnswer => {
    check(req.path, 'create request', IssueUpdateDetailsSchema, req.body);
    const fields =
      (
        req.body as {
          fields?: Record<string, { key?: string; name?: string; accountId?: string } | string | string[] | unknown>;
        }
      ).fields ?? {};
    const refused = fieldErrors(fields, [
      'project',
      'summary',
      'issuetype',
      'assignee',
      'priority',
      'labels',
      'description',
      'duedate',
    ]);
    if (refused) return refused;
    const project = (fields.project as { key?: string } | undefined)?.key;
    if (!project || !projects.includes(project))
      return { status: 400, body: { errorMessages: [], errors: { project: 'valid project is required' } } };
    const issue = addIssue({
      project,
      summary: String(fields.summary),
      issueType: (fields.issuetype as { name?: string } | undefined)?.name ?? 'Task',
      assignee: (fields.assignee as { accountId?: string } | undefined)?.accountId ?? null,
      priority: (fields.priority as { name?: string } | undefined)?.name ?? 'Medium',
      labels: (fields.labels as string[] | undefined) ?? [],
      description: descriptionOf(fields.description),
      duedate: (fields.duedate as string | null | undefined) ?? null,
    });
    const created: CreatedIssue = { id: issue.id, key: issue.key, self: `${site}/rest/api/3/issue/${issue.id}` };
    return answer(req.path, 'create answer', CreatedIssueSchema, 201, created);
  };

  const handle = (req: SeenRequest): StandinAnswer => {
    const basic = `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;
    if (req.authorization !== basic && req.authorization !== `Bearer ${token}`) {
      return error(401, 'Client must be authenticated to access this resource.');
    }
    const path = new URL(req.path, 'http://x').pathname;
    if (path === '/rest/api/3/search/jql' && req.method === 'POST') return search(req);
    if (path === '/rest/api/3/search')
      return error(410, 'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.');
    if (path === '/rest/api/3/myself' && req.method === 'GET') {
      const self: DashboardUser & { displayName: string } = { accountId: me.accountId, displayName: me.displayName };
      return answer(path, 'myself', DashboardUserSchema, 200, self);
    }
    if (path === '/rest/api/3/issue' && req.method === 'POST') return create(req);
    const m = /^\/rest\/api\/3\/issue\/([^/]+)(\/.*)?$/.exec(path);
    if (m) {
      const issue = find(m[1] as string);
      if (!issue) return error(404, 'Issue does not exist or you do not have permission to see it.');
      return issueRoute(req, issue, m[2] ?? '');
    }
    return error(404, `No route ${req.method} ${path}`);
  };

  const server = await startStandinServer(handle);
  site = server.url;
  return Object.assign(server, {
    site,
    email,
    token,
    me,
    statuses: STATUSES,
    issues,
    projects,
    invalid,
    offScreen,
    addIssue,
    reset() {
      issues.length = 0;
      offScreen.clear();
      counters.clear();
      invalid.length = 0;
      server.requests.length = 0;
      server.tamper = undefined;
    },
  });
}
