// Azure DevOps Boards as a task source: the work items a WIQL query finds (by default yours not closed, in the
// project), read in batches of 200; the branch's work item by the number its name carries; status changes through the
// states its type has, read from the API by category and written as System.State by JSON Patch; comments; new work
// items of the project's task type; edits. The claim is the assignee.

import type { Cache } from '../../cache/cache.js';
import { kvGet, kvSet } from '../../cache/kv.js';
import { TaskSourceError } from '../../errors/task-source.js';
import { OPEN_STATUSES, type Task, type TaskStatus } from '../../tasks/task.js';
import type { Deadline } from '../../util/deadline.js';
import { issueOfBranch } from '../github/issues.js';
import { issueTrackerSource, readPages, type IssueList } from '../rest/issue-tracker.js';
import { DEFAULT_LIST_CAP, type ListCap } from '../list-cap.js';
import type { NewTaskInput, StatusChange, TaskEdit, TaskSource } from '../source.js';
import { refuseBranchMove, trackerFieldInput } from '../issues/tracker-fields.js';
import { API_VERSION, type AzureApi } from './api.js';
import {
  azureTask,
  namedStates,
  stateStatus,
  targetState,
  textHtml,
  htmlText,
  TO_AZURE_PRIORITY,
  type NamedStates,
} from './map.js';
import {
  AZURE_FIELDS,
  AZURE_TASK_FIELDS,
  Comment,
  CommentList,
  ConnectionData,
  F,
  TypeCategory,
  TypeStates,
  WiqlResult,
  WorkItem,
  WorkItemBatch,
  type TypeState,
} from './schema.js';

export interface AzureOptions {
  defaultDeadlineMs: number;
  /** The query, replacing the default one. */
  wiql?: string | undefined;
  /** The type of new work items, instead of the project's default task type. */
  workItemType?: string | undefined;
  /** State names mapped to taskhooks' statuses, over their categories. */
  statuses?: Readonly<Record<string, TaskStatus>> | undefined;
  listCap?: ListCap | undefined;
  cache: Cache;
}

/**
 * Yours, not closed, most urgent first. WIQL has no state category to compare, so the closed states of the four
 * processes are left out by name and any other state of a closed category after the read (its type's states say).
 */
export const DEFAULT_WIQL =
  "SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.AssignedTo] = @Me AND [System.State] NOT IN ('Closed', 'Done', 'Removed') ORDER BY [Microsoft.VSTS.Common.Priority] ASC, [System.ChangedDate] DESC";
/** workitemsbatch reads at most 200 at once. */
export const BATCH = 200;
export const AZURE_CALLS = [
  'wiql',
  'workitemsbatch',
  'workitems',
  'workitemtypes/states',
  'comments',
  'connectionData',
];
/** A type's states change when a process is edited: read again after an hour. */
const STATES_TTL_S = 3600;

interface Azure {
  api: AzureApi;
  opts: AzureOptions;
  server: string;
  named: NamedStates;
  /** The states of each type read so far, by type name. */
  states: Map<string, readonly TypeState[]>;
}

/** The work item a branch names: `AB#12345` (Azure Boards' own mention), else a leading number (`12345-fix-login`). */
export function workItemOfBranch(branch: string): string[] {
  const mention = /(?:^|[^A-Za-z0-9])AB#(\d{1,9})(?![0-9])/i.exec(branch);
  const n = mention ? Number(mention[1]) : issueOfBranch(branch);
  return n !== undefined && n > 0 ? [String(n)] : [];
}

const idOf = (a: Azure, id: string): number => {
  const n = Number(id.replace(/^(?:AB)?#/i, ''));
  if (Number.isSafeInteger(n) && n > 0) return n;
  throw new TaskSourceError('not_found', `Azure DevOps work items are numbers: ${id} is none`, {
    short: 'not a work item id',
    place: a.server,
    fix: 'name the work item by its number (12345)',
  });
};

async function statesOf(a: Azure, type: string, d: Deadline): Promise<readonly TypeState[]> {
  const known = a.states.get(type);
  if (known) return known;
  const key = `azure-devops:states:${a.api.place}:${type}`;
  let states = kvGet<TypeState[]>(a.opts.cache, key);
  if (!states) {
    const path = `/_apis/wit/workitemtypes/${encodeURIComponent(type)}/states`;
    states = (await a.api.call('workitemtypes/states', { path, version: API_VERSION.wit }, TypeStates, d)).value;
    kvSet(a.opts.cache, key, states, STATES_TTL_S);
  }
  a.states.set(type, states);
  return states;
}

/** A work item as a task, its state's category read from its type's states (loaded before). */
function toTask(a: Azure, item: WorkItem): Task {
  const states = a.states.get(item.fields[F.type]) ?? [];
  return azureTask(item, (state) => stateStatus(a.named, state, states.find((s) => s.name === state)?.category));
}

/** The ids the query finds, in its order: one more than the cap, so that a list cut there says so. */
async function queryIds(a: Azure, cap: ListCap, d: Deadline): Promise<number[]> {
  const req = {
    method: 'POST',
    path: '/_apis/wit/wiql',
    query: { $top: String(cap.items + 1) },
    body: { query: a.opts.wiql ?? DEFAULT_WIQL },
    version: API_VERSION.wit,
  } as const;
  return (await a.api.call('wiql', req, WiqlResult, d)).workItems.map((w) => w.id);
}

/** One batch of work items as they came, with their types' states loaded for reading them. */
async function batchOf(a: Azure, ids: number[], d: Deadline): Promise<unknown[]> {
  const body = { ids, fields: AZURE_FIELDS, errorPolicy: 'omit' };
  const req = { method: 'POST', path: '/_apis/wit/workitemsbatch', body, version: API_VERSION.wit } as const;
  // An id the token may no longer read comes back null (errorPolicy omit): it is not there, not a bad item.
  const items = (await a.api.call('workitemsbatch', req, WorkItemBatch, d)).value.filter((v) => v !== null);
  const types = new Set(
    items.map((v) => WorkItem.safeParse(v)).flatMap((r) => (r.success ? [r.data.fields[F.type]] : [])),
  );
  for (const type of types) await statesOf(a, type, d);
  return items;
}

/** The query's open work items, read in batches as pages (the cap counts them), closed categories left out. */
async function list(a: Azure, d: Deadline): Promise<IssueList> {
  const cap = a.opts.listCap ?? DEFAULT_LIST_CAP;
  const ids = await queryIds(a, cap, d);
  const read = await readPages(
    async (cursor) => {
      const start = Number(cursor ?? 0);
      const batch = ids.slice(start, start + BATCH);
      const end = start + batch.length;
      return { items: batch.length > 0 ? await batchOf(a, batch, d) : [], next: end < ids.length ? String(end) : null };
    },
    WorkItem,
    (item) => toTask(a, item),
    cap,
  );
  return { ...read, tasks: read.tasks.filter((t) => OPEN_STATUSES.includes(t.status)) };
}

async function item(a: Azure, id: string, d: Deadline): Promise<Task> {
  const n = idOf(a, id);
  const found = await a.api.call(
    'workitems',
    { path: `/_apis/wit/workitems/${n}`, version: API_VERSION.wit },
    WorkItem,
    d,
  );
  await statesOf(a, found.fields[F.type], d);
  const task = toTask(a, found);
  const path = `/_apis/wit/workItems/${n}/comments`;
  const { comments } = await a.api.call('comments', { path, version: API_VERSION.comments }, CommentList, d);
  const notes = comments.map((c) => htmlText(c.text)).filter(Boolean);
  if (notes.length > 0) task.details = notes.join('\n\n');
  return task;
}

type PatchOp = { op: 'add' | 'remove'; path: string; value?: unknown };

async function patch(a: Azure, n: number, ops: PatchOp[], d: Deadline): Promise<void> {
  const req = {
    method: 'PATCH',
    path: `/_apis/wit/workitems/${n}`,
    body: ops,
    patch: true,
    version: API_VERSION.wit,
  } as const;
  await a.api.call('update', req, WorkItem, d);
}

async function comment(a: Azure, n: number, text: string, d: Deadline): Promise<void> {
  const path = `/_apis/wit/workItems/${n}/comments`;
  const req = { method: 'POST', path, body: { text: textHtml(text) }, version: API_VERSION.comments } as const;
  await a.api.call('comment', req, Comment, d);
}

async function setStatus(a: Azure, id: string, status: TaskStatus, o: StatusChange, d: Deadline): Promise<Task> {
  const n = idOf(a, id);
  const found = await a.api.call(
    'workitems',
    { path: `/_apis/wit/workitems/${n}`, version: API_VERSION.wit },
    WorkItem,
    d,
  );
  const type = found.fields[F.type];
  const states = await statesOf(a, type, d);
  const target = targetState(states, status, a.named);
  if (!target) {
    const offered = states.map((s) => `${s.name} (${s.category})`).join(', ') || 'none';
    throw new TaskSourceError(
      'config',
      `Azure DevOps ${type} ${n} has no state for ${status} (its states: ${offered})`,
      {
        short: `no state for ${status}`,
        place: a.server,
        fix: `map one of its states to ${status} in source.statuses (e.g. {"${states[0]?.name ?? 'Blocked'}": "${status}"}), or move it in Azure Boards`,
      },
    );
  }
  if (target.name !== found.fields[F.state])
    await patch(a, n, [{ op: 'add', path: `/fields/${F.state}`, value: target.name }], d);
  if (o.note) await comment(a, n, o.note, d);
  return item(a, String(n), d);
}

/** Whom the token stands for, as System.AssignedTo takes it: the account's name (its email), else its display name. */
async function viewer(a: Azure, d: Deadline): Promise<string> {
  const req = { path: '/_apis/connectionData', org: true, version: API_VERSION.connectionData } as const;
  const { authenticatedUser: me } = await a.api.call('connectionData', req, ConnectionData, d);
  return me.properties?.Account?.$value || me.providerDisplayName || me.id;
}

/** The project's type for a task: its Task category's default (Task in every process), else its requirement's. */
async function newItemType(a: Azure, d: Deadline): Promise<string> {
  if (a.opts.workItemType) return a.opts.workItemType;
  for (const category of ['Microsoft.TaskCategory', 'Microsoft.RequirementCategory']) {
    const path = `/_apis/wit/workitemtypecategories/${category}`;
    const found = await a.api
      .call('workitemtypecategories', { path, version: API_VERSION.wit }, TypeCategory, d)
      .catch((err: unknown) => {
        if (err instanceof TaskSourceError && err.kind === 'not_found') return undefined;
        throw err;
      });
    if (found?.defaultWorkItemType) return found.defaultWorkItemType.name;
  }
  throw new TaskSourceError('config', `Azure DevOps project ${a.api.where.project} names no task type`, {
    short: 'no task type',
    place: a.server,
    fix: 'set source.azure-devops.workItemType to the type new work items take (Task, Issue, User Story)',
  });
}

/** The fields an edit or a new work item sets, as JSON Patch operations; a value given empty removes its field. */
function fieldOps(change: TaskEdit | NewTaskInput): PatchOp[] {
  const values: Record<string, unknown> = {
    ...(change.title !== undefined ? { [F.title]: change.title } : {}),
    ...(change.description !== undefined ? { [F.description]: textHtml(change.description) } : {}),
    ...(change.priority ? { [F.priority]: TO_AZURE_PRIORITY[change.priority] } : {}),
    ...trackerFieldInput(AZURE_TASK_FIELDS, change),
  };
  return Object.entries(values).map(([name, value]) =>
    value === null ? { op: 'remove', path: `/fields/${name}` } : { op: 'add', path: `/fields/${name}`, value },
  );
}

async function create(a: Azure, input: NewTaskInput, d: Deadline): Promise<Task> {
  const type = await newItemType(a, d);
  const ops: PatchOp[] = [
    ...fieldOps(input).filter((op) => op.op === 'add'),
    { op: 'add', path: `/fields/${F.assignedTo}`, value: await viewer(a, d) },
    ...(input.labels?.length
      ? [{ op: 'add' as const, path: `/fields/${F.tags}`, value: input.labels.join('; ') }]
      : []),
  ];
  const path = `/_apis/wit/workitems/$${encodeURIComponent(type)}`;
  const req = { method: 'POST', path, body: ops, patch: true, version: API_VERSION.wit } as const;
  const made = await a.api.call('create', req, WorkItem, d);
  return item(a, String(made.id), d);
}

async function edit(a: Azure, id: string, change: TaskEdit, d: Deadline): Promise<Task> {
  refuseBranchMove('Azure DevOps', a.server, change);
  const n = idOf(a, id);
  const ops = fieldOps(change);
  if (ops.length > 0) await patch(a, n, ops, d);
  return item(a, String(n), d);
}

async function claim(a: Azure, id: string, d: Deadline): Promise<Task> {
  const n = idOf(a, id);
  await patch(a, n, [{ op: 'add', path: `/fields/${F.assignedTo}`, value: await viewer(a, d) }], d);
  return item(a, String(n), d);
}

async function addNote(a: Azure, id: string, text: string, d: Deadline): Promise<Task> {
  const n = idOf(a, id);
  await comment(a, n, text, d);
  return item(a, String(n), d);
}

export function azureSource(api: AzureApi, opts: AzureOptions): TaskSource {
  const a: Azure = { api, opts, server: api.place, named: namedStates(opts.statuses ?? {}), states: new Map() };
  const ops = { list, issue: item, setStatus, create, edit, addNote, claim };
  const tracker = { adapter: 'azure-devops', calls: AZURE_CALLS, prefixes: [], branchKeys: workItemOfBranch } as const;
  return issueTrackerSource(a, tracker, ops);
}
