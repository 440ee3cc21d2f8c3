// The agenthub / dhafnck tools: manage_project, manage_git_branch, manage_task. The local git branch is mapped
// to the server's git_branch_id by name (cached in the store); an unregistered branch shows project tasks.
import type { z } from 'zod';
import { kvDelete, kvGet, kvSet } from '../../cache/kv.js';
import type { Cache } from '../../cache/cache.js';
import type { ToolSession } from '../../resilience/session.js';
import { OPEN_STATUSES, comparePending, type Task, type TaskStatus } from '../../tasks/task.js';
import type { Scope } from '../../tasks/scope.js';
import {
  AnyData,
  type AgenthubTask,
  BranchData,
  BranchListData,
  Envelope,
  NextData,
  ProjectData,
  ProjectListData,
  TaskData,
  TaskListData,
  taskOf,
} from './schema.js';
import { isTaskSourceError, TaskSourceError, unavailable } from '../../errors/task-source.js';
import { joinNotes, leftOutNote, parseAnswer } from '../parse.js';
import type { Deadline } from '../../util/deadline.js';
import { deadlineOf, type NewTaskInput, type SourceCallOptions, type TaskEdit, type TaskSource } from '../source.js';

const AGENTHUB_REQUIRED_TOOLS = ['manage_task', 'manage_git_branch', 'manage_project'] as const;

/** Branch and project ids change rarely; an hour keeps lookups off the hot path without going stale for long. */
const ID_CACHE_SECONDS = 3600;
/** How many branches an unregistered-branch fallback reads tasks from. */
const MAX_BRANCHES_SCANNED = 20;
/** manage_task list answers at most 100 a page; ten pages bound a branch's read. */
const LIST_PAGE = 100;
const MAX_LIST_PAGES = 10;

interface Resolved {
  projectId?: string;
  branchId?: string;
  branchIds: string[];
  note?: string;
}

export interface AgenthubOptions {
  /** Caches project and branch ids. */
  cache: Cache;
  /** A call's deadline when its caller gives none. */
  defaultDeadlineMs: number;
  /** What to say when the scope's project does not exist on the server yet. */
  unknownProjectNote: (project: string) => string;
  /** Sent with every task write (with the task's id), so a retry of one that landed is not written twice. */
  requestId?: string | undefined;
}

const TASK_WRITES: ReadonlySet<unknown> = new Set([
  'create',
  'update',
  'complete',
  'delete',
  'claim',
  'release',
  'add_note',
]);

/** On a shared server, a project nobody registered is most likely a misnamed one. */
export const unregisteredProjectNote = (project: string): string =>
  `project ${project} is not registered on the task server: no tasks shown`;

/**
 * Creates what a listing showed missing. A server without get-or-create refuses when another caller created it in
 * between (several sessions adding their first task at once): then it is listed again and used.
 */
async function orExisting(create: () => Promise<string>, find: () => Promise<string | undefined>): Promise<string> {
  try {
    return await create();
  } catch (err) {
    if (!(err instanceof TaskSourceError) || !/already exists/i.test(err.message)) throw err;
    const found = await find();
    if (found === undefined) throw err;
    return found;
  }
}

/** What the source's operations share: the session and the options, the ids cache among them. */
interface Hub {
  session: ToolSession;
  options: AgenthubOptions;
  cache: Cache;
}

async function call<S extends z.ZodType>(
  { session, options }: Hub,
  tool: string,
  args: Record<string, unknown>,
  schema: S,
  deadline: Deadline,
): Promise<z.output<S>> {
  const { requestId } = options;
  const once =
    requestId && tool === 'manage_task' && TASK_WRITES.has(args.action)
      ? { ...args, request_id: `${requestId}:${String(args.task_id ?? '')}` }
      : args;
  const raw = await session.call(tool, once, { deadline });
  const server = session.server();
  const envelope = parseAnswer(Envelope, raw, `${tool} ${String(args.action)}`, server);
  if (envelope.success === false) {
    const err = envelope.error;
    const message = typeof err === 'string' ? err : err.message;
    // The envelope's code decides; only a server that gives none (a bare string) leaves the words to go by.
    const notFound = typeof err !== 'string' && err.code ? err.code === 'NOT_FOUND' : /not found/i.test(message);
    if (notFound) throw new TaskSourceError('not_found', message, { short: 'not found', place: server });
    // A store locked past its busy wait wrote nothing: worth the retry a request id makes safe.
    if (typeof err !== 'string' && err.code === 'BUSY') throw unavailable(server, 'task store busy');
    throw new TaskSourceError('server', `Task server error in ${tool} ${String(args.action)}: ${message}`, {
      short: message.slice(0, 80),
      place: server,
    });
  }
  return parseAnswer(schema, envelope.data, `${tool} ${String(args.action)}`, server);
}

const key = (h: Hub, ...parts: string[]): string => ['agenthub', h.session.server(), ...parts].join(':');

async function projectId(h: Hub, name: string, deadline: Deadline): Promise<string | undefined> {
  const cached = kvGet<string>(h.cache, key(h, 'project', name));
  if (cached) return cached;
  const { projects } = await call(h, 'manage_project', { action: 'list' }, ProjectListData, deadline);
  const found = projects.find((p) => p.name === name);
  if (found) kvSet(h.cache, key(h, 'project', name), found.id, ID_CACHE_SECONDS);
  return found?.id;
}

async function branches(h: Hub, project: string, deadline: Deadline): Promise<Array<{ id: string; name: string }>> {
  const args = { action: 'list', project_id: project };
  const { git_branchs } = await call(h, 'manage_git_branch', args, BranchListData, deadline);
  // Tasks name their branch by id only: every listing teaches the names back.
  for (const b of git_branchs) kvSet(h.cache, key(h, 'branch-name', b.id), b.name, ID_CACHE_SECONDS);
  return git_branchs;
}

const cachedBranchName = (h: Hub, id: string): string | undefined => kvGet<string>(h.cache, key(h, 'branch-name', id));

function withName(h: Hub, task: Task): Task {
  const name = task.branchId && cachedBranchName(h, task.branchId);
  return name ? { ...task, branch: name } : task;
}

/**
 * The task with its branch's name instead of its id, where it is known: from the ids cache, else (given the
 * project, for a single task) from the project's branch list.
 */
async function named(h: Hub, task: Task, project: string | null | undefined, deadline: Deadline): Promise<Task> {
  if (task.branchId && cachedBranchName(h, task.branchId) === undefined && project)
    await branches(h, project, deadline);
  return withName(h, task);
}

/** One task, read whole (its notes too) and its branch named. */
const single = (h: Hub, raw: AgenthubTask, deadline: Deadline): Promise<Task> =>
  named(h, taskOf(raw, { notes: true }), raw.project_id, deadline);

/** What a manage_task call answers, read whole and its branch named. */
async function written(h: Hub, args: Record<string, unknown>, deadline: Deadline): Promise<Task> {
  return single(h, (await call(h, 'manage_task', args, TaskData, deadline)).task, deadline);
}

async function resolve(h: Hub, scope: Scope, deadline: Deadline): Promise<Resolved> {
  const project = await projectId(h, scope.project, deadline);
  if (!project) return { branchIds: [], note: h.options.unknownProjectNote(scope.project) };
  const cachedBranch = scope.branch ? kvGet<string>(h.cache, key(h, 'branch', project, scope.branch)) : undefined;
  if (cachedBranch) return { projectId: project, branchId: cachedBranch, branchIds: [cachedBranch] };
  const all = await branches(h, project, deadline);
  const match = scope.branch ? all.find((b) => b.name === scope.branch) : undefined;
  if (match) {
    kvSet(h.cache, key(h, 'branch', project, scope.branch), match.id, ID_CACHE_SECONDS);
    return { projectId: project, branchId: match.id, branchIds: [match.id] };
  }
  const why = scope.branch ? `branch ${scope.branch} is not registered on the task server` : 'no git branch';
  return {
    projectId: project,
    branchIds: all.slice(0, MAX_BRANCHES_SCANNED).map((b) => b.id),
    note: `${why}: pending tasks of project ${scope.project} shown`,
  };
}

/** A cached project or branch id the server no longer knows is forgotten and the lookup done once more. */
async function withFreshIds<T>(h: Hub, scope: Scope, deadline: Deadline, fn: (r: Resolved) => Promise<T>): Promise<T> {
  try {
    return await fn(await resolve(h, scope, deadline));
  } catch (err) {
    // Any not_found under a cached id may mean that id went stale: forgetting it costs one lookup more at worst.
    const cachedProject = kvGet<string>(h.cache, key(h, 'project', scope.project));
    const cachedBranch =
      cachedProject && scope.branch ? kvGet<string>(h.cache, key(h, 'branch', cachedProject, scope.branch)) : undefined;
    if (!(isTaskSourceError(err) && err.kind === 'not_found' && (cachedProject || cachedBranch))) throw err;
    if (cachedProject) kvDelete(h.cache, key(h, 'branch', cachedProject, scope.branch));
    kvDelete(h.cache, key(h, 'project', scope.project));
    return fn(await resolve(h, scope, deadline));
  }
}

/** A branch's tasks, and the items of its answer left out because they did not fit (added to `left`). */
async function listBranch(h: Hub, branchId: string, deadline: Deadline, left: string[]): Promise<Task[]> {
  // Real agenthub filters by one status at a time: read the branch's tasks page by page, so open work listed after
  // a hundred finished tasks is not lost.
  const seen = new Map<string, Task>();
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const args = { action: 'list', git_branch_id: branchId, limit: LIST_PAGE, offset: page * LIST_PAGE };
    const { tasks } = await call(h, 'manage_task', args, TaskListData, deadline);
    const before = seen.size;
    for (const t of tasks.items) seen.set(t.id, taskOf(t, { notes: false }));
    left.push(...tasks.left);
    // A short page is the last one; a server that ignores offset repeats its first page and adds nothing.
    if (tasks.items.length + tasks.left.length < LIST_PAGE || seen.size === before) break;
  }
  return [...seen.values()];
}

async function tasksOf(h: Hub, r: Resolved, deadline: Deadline, keep: (t: Task) => boolean, left: string[] = []) {
  const lists = [];
  for (const id of r.branchIds) lists.push((await listBranch(h, id, deadline, left)).filter(keep));
  return lists
    .flat()
    .map((t) => withName(h, t))
    .sort(comparePending);
}
const pendingOf = (h: Hub, r: Resolved, deadline: Deadline, left: string[]): Promise<Task[]> =>
  tasksOf(h, r, deadline, (t) => OPEN_STATUSES.includes(t.status), left);

/** The id of `scope`'s project, registered when missing, as agenthub's own UI does. */
async function ensureProject(h: Hub, scope: Scope, deadline: Deadline): Promise<string> {
  const known = await projectId(h, scope.project, deadline);
  if (known) return known;
  const args = { action: 'create', name: scope.project, description: scope.projectRoot };
  const made = await orExisting(
    async () => (await call(h, 'manage_project', args, ProjectData, deadline)).project.id,
    () => projectId(h, scope.project, deadline),
  );
  kvSet(h.cache, key(h, 'project', scope.project), made, ID_CACHE_SECONDS);
  return made;
}

/** The id of branch `name` of `project`, made when missing. */
async function ensureBranch(h: Hub, project: string, name: string, deadline: Deadline): Promise<string> {
  const find = async (): Promise<string | undefined> =>
    (await branches(h, project, deadline)).find((b) => b.name === name)?.id;
  const args = { action: 'create', project_id: project, git_branch_name: name, git_branch_description: '' };
  return (
    (await find()) ??
    orExisting(async () => (await call(h, 'manage_git_branch', args, BranchData, deadline)).git_branch.id, find)
  );
}

async function next(h: Hub, scope: Scope, deadline: Deadline): Promise<Task | null> {
  return withFreshIds(h, scope, deadline, async (r) => {
    if (r.branchId) {
      const args = { action: 'next', git_branch_id: r.branchId, include_context: false };
      const { task } = await call(h, 'manage_task', args, NextData, deadline);
      const found = task?.next_item && taskOf(task.next_item, { notes: true });
      // The branch asked for is the branch the answer is on: its name is the scope's.
      return found ? { ...found, ...(found.branchId === r.branchId ? { branch: scope.branch } : {}) } : null;
    }
    const open = await pendingOf(h, r, deadline, []);
    return open.find((t) => t.status !== 'blocked') ?? null;
  });
}

async function setStatus(
  h: Hub,
  id: string,
  status: TaskStatus,
  note: string | undefined,
  deadline: Deadline,
): Promise<Task> {
  let args: Record<string, unknown>;
  if (status === 'done')
    args = { action: 'complete', task_id: id, completion_summary: note ?? 'Completed with taskhooks' };
  else if (!note) args = { action: 'update', task_id: id, status };
  else {
    // `details` is replaced by an update: the note joins what the task already says instead of erasing it.
    const { details } = (await call(h, 'manage_task', { action: 'get', task_id: id }, TaskData, deadline)).task;
    args = {
      action: 'update',
      task_id: id,
      status,
      details: [details, `${status}: ${note}`].filter(Boolean).join('\n\n'),
    };
  }
  return written(h, args, deadline);
}

async function create(h: Hub, scope: Scope, input: NewTaskInput, deadline: Deadline): Promise<Task> {
  // Adding a task where none was ever tracked registers the project and branch first, as agenthub's own UI does.
  const branchName = scope.branch || 'main';
  const branch = await ensureBranch(h, await ensureProject(h, scope, deadline), branchName, deadline);
  const args: Record<string, unknown> = { action: 'create', git_branch_id: branch, title: input.title };
  if (input.description) args.description = input.description;
  if (input.details) args.details = input.details;
  if (input.priority) args.priority = input.priority;
  if (input.labels?.length) args.labels = input.labels;
  return {
    ...taskOf((await call(h, 'manage_task', args, TaskData, deadline)).task, { notes: true }),
    branch: branchName,
  };
}

async function edit(h: Hub, id: string, change: TaskEdit, scope: Scope, deadline: Deadline): Promise<Task> {
  const args: Record<string, unknown> = { action: 'update', task_id: id };
  if (change.title !== undefined) args.title = change.title;
  if (change.description !== undefined) args.description = change.description;
  if (change.priority !== undefined) args.priority = change.priority;
  if (change.branch !== undefined)
    args.git_branch_id = await ensureBranch(h, await ensureProject(h, scope, deadline), change.branch, deadline);
  return written(h, args, deadline);
}

// The house keeps every function under 100 lines: the factory only wires the operations, each read on its own above.
export function agenthubSource(session: ToolSession, options: AgenthubOptions): TaskSource {
  const h: Hub = { session, options, cache: options.cache };
  const deadline = (o: SourceCallOptions): Deadline => deadlineOf(o, options.defaultDeadlineMs);
  return {
    adapter: 'agenthub',
    requiredTools: AGENTHUB_REQUIRED_TOOLS,
    server: () => session.server(),
    async pending(scope, opts = {}) {
      const d = deadline(opts);
      return withFreshIds(h, scope, d, async (r) => {
        const left: string[] = [];
        const tasks = await pendingOf(h, r, d, left);
        const note = joinNotes(r.note, leftOutNote(left));
        return note ? { tasks, note } : { tasks };
      });
    },
    next: (scope, opts = {}) => next(h, scope, deadline(opts)),
    async get(id, opts = {}) {
      const d = deadline(opts);
      return single(h, (await call(h, 'manage_task', { action: 'get', task_id: id }, TaskData, d)).task, d);
    },
    setStatus: (id, status, opts = {}) => setStatus(h, id, status, opts.note, deadline(opts)),
    create: (scope, input, opts = {}) => create(h, scope, input, deadline(opts)),
    listTools: (opts = {}) => session.listTools({ deadline: deadline(opts) }),
    async listAll(scope, opts = {}) {
      const d = deadline(opts);
      return withFreshIds(h, scope, d, (r) => tasksOf(h, r, d, () => true));
    },
    edit: (id, change, scope, opts = {}) => edit(h, id, change, scope, deadline(opts)),
    async remove(id, opts = {}) {
      await call(h, 'manage_task', { action: 'delete', task_id: id }, AnyData, deadline(opts));
    },
    claim: (id, claim, opts = {}) =>
      written(
        h,
        { action: 'claim', task_id: id, claimant: claim.claimant, lease_seconds: claim.leaseSeconds },
        deadline(opts),
      ),
    release: (id, claimant, opts = {}) => written(h, { action: 'release', task_id: id, claimant }, deadline(opts)),
    async addNote(id, text, opts = {}) {
      const d = deadline(opts);
      await call(h, 'manage_task', { action: 'add_note', task_id: id, note: text }, AnyData, d);
      return written(h, { action: 'get', task_id: id }, d);
    },
    close: () => session.close(),
  };
}
