// What the agenthub reader's operations share: the tool session and its options, one checked tool call, and the project
// and branch ids, resolved by name and cached (an unregistered branch resolves to the project's branches).
import type { z } from 'zod';
import { kvDelete, kvGet, kvSet } from '../../cache/kv.js';
import type { Cache } from '../../cache/cache.js';
import type { ToolSession } from '../../resilience/tool-session.js';
import type { Task } from '../../tasks/task.js';
import type { Scope } from '../../tasks/scope.js';
import { type AgenthubTask, BranchListData, Envelope, ProjectListData, TaskData, taskOf } from './schema.js';
import { isTaskSourceError, TaskSourceError, unavailable } from '../../errors/task-source.js';
import { parseAnswer } from '../parse.js';
import { MAX_BRANCHES_SCANNED, projectWideNote } from './reading.js';
import type { Deadline } from '../../util/deadline.js';
import { withRetry } from '../../resilience/retry.js';

export const AGENTHUB_REQUIRED_TOOLS = ['manage_task', 'manage_git_branch', 'manage_project'] as const;

/** How long a branch or project id stays in the cache: ids change rarely; an hour keeps lookups off the hot path. */
export const ID_TTL_SECONDS = 3600;

export interface Resolved {
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
  /** The server lists a whole project's tasks (`manage_task list` by `project_id`): the built-in store's does. */
  projectListing?: boolean;
  /** What to say when the scope's project does not exist on the server yet. */
  unknownProjectNote: (project: string) => string;
  /** Sent with every task write (with the task's id), so a retry of one that landed is not written twice. */
  requestId?: string | undefined;
  /**
   * The store is the user's own file: a BUSY answer (another writer holds it past SQLite's busy wait) is asked again
   * with backoff until the call's deadline, since the writer will let go and the request id makes the retry safe.
   */
  waitOutBusy?: boolean;
}

/** A store busy past its busy wait is asked again after 100 ms, then twice as long each time up to 2 s. */
const BUSY_RETRY = { retries: Number.POSITIVE_INFINITY, baseDelayMs: 100, jitterRatio: 0.2 };
const BUSY_MAX_DELAY_MS = 2000;
const STORE_BUSY = 'task store busy';
const isStoreBusy = (err: unknown): boolean =>
  isTaskSourceError(err) && err.kind === 'unavailable' && err.short === STORE_BUSY;

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
export async function orExisting(
  create: () => Promise<string>,
  find: () => Promise<string | undefined>,
): Promise<string> {
  try {
    return await create();
  } catch (err) {
    if (!(err instanceof TaskSourceError) || !/already exists/i.test(err.message)) throw err;
    const found = await find();
    if (found === undefined) throw err;
    return found;
  }
}

/** What the source's operations share: the tool session and the options, the cache keeping the ids among them. */
export interface Hub {
  toolSession: ToolSession;
  options: AgenthubOptions;
  cache: Cache;
}

export async function call<S extends z.ZodType>(
  h: Hub,
  tool: string,
  args: Record<string, unknown>,
  schema: S,
  deadline: Deadline,
): Promise<z.output<S>> {
  const once = (): Promise<z.output<S>> => callOnce(h, tool, args, schema, deadline);
  if (!h.options.waitOutBusy) return once();
  return withRetry(once, {
    policy: BUSY_RETRY,
    deadline,
    retryable: isStoreBusy,
    maxDelayMs: BUSY_MAX_DELAY_MS,
  });
}

async function callOnce<S extends z.ZodType>(
  { toolSession, options }: Hub,
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
  const raw = await toolSession.call(tool, once, { deadline });
  const server = toolSession.server();
  const envelope = parseAnswer(Envelope, raw, `${tool} ${String(args.action)}`, server);
  if (envelope.success === false) {
    const err = envelope.error;
    const message = typeof err === 'string' ? err : err.message;
    // The envelope's code decides; only a server that gives none (a bare string) leaves the words to go by.
    const notFound = typeof err !== 'string' && err.code ? err.code === 'NOT_FOUND' : /not found/i.test(message);
    if (notFound) throw new TaskSourceError('not_found', message, { short: 'not found', place: server });
    // A store locked past its busy wait wrote nothing: worth the retry a request id makes safe.
    if (typeof err !== 'string' && err.code === 'BUSY') throw unavailable(server, STORE_BUSY);
    // A team store whose database or pooler is away: the same, the request id making the retry safe.
    if (typeof err !== 'string' && err.code === 'UNAVAILABLE') throw unavailable(server, 'task store unreachable');
    throw new TaskSourceError('server', `Task server error in ${tool} ${String(args.action)}: ${message}`, {
      short: message.slice(0, 80),
      place: server,
    });
  }
  return parseAnswer(schema, envelope.data, `${tool} ${String(args.action)}`, server);
}

export const key = (h: Hub, ...parts: string[]): string => ['agenthub', h.toolSession.server(), ...parts].join(':');

/** A project's id by its name (`by: 'name'`), or its name by its id: kept in the cache, else from the project list. */
async function projectLookup(
  h: Hub,
  by: 'name' | 'id',
  value: string,
  deadline: Deadline,
): Promise<string | undefined> {
  const cacheKey = key(h, by === 'name' ? 'project' : 'project-name', value);
  const cached = kvGet<string>(h.cache, cacheKey);
  if (cached) return cached;
  const { projects } = await call(h, 'manage_project', { action: 'list' }, ProjectListData, deadline);
  const found = projects.find((p) => p[by] === value);
  const answer = found && (by === 'name' ? found.id : found.name);
  if (answer) kvSet(h.cache, cacheKey, answer, ID_TTL_SECONDS);
  return answer;
}

export const projectId = (h: Hub, name: string, deadline: Deadline): Promise<string | undefined> =>
  projectLookup(h, 'name', name, deadline);

/** The name of the project with id `id`: a task names its project by id only. */
export const projectName = (h: Hub, id: string, deadline: Deadline): Promise<string | undefined> =>
  projectLookup(h, 'id', id, deadline);

export async function branches(
  h: Hub,
  project: string,
  deadline: Deadline,
): Promise<Array<{ id: string; name: string }>> {
  const args = { action: 'list', project_id: project };
  const { git_branchs } = await call(h, 'manage_git_branch', args, BranchListData, deadline);
  // Tasks name their branch only by id, so every branch listing records each id's name for later lookups.
  for (const b of git_branchs) kvSet(h.cache, key(h, 'branch-name', b.id), b.name, ID_TTL_SECONDS);
  return git_branchs;
}

const cachedBranchName = (h: Hub, id: string): string | undefined => kvGet<string>(h.cache, key(h, 'branch-name', id));

export function withName(h: Hub, task: Task): Task {
  const name = task.branchId && cachedBranchName(h, task.branchId);
  return name ? { ...task, branch: name } : task;
}

/**
 * The task with its branch's name instead of its id, where it is known: from the ids kept in the cache, else (given the
 * project, for a single task) from the project's branch list.
 */
async function named(h: Hub, task: Task, project: string | null | undefined, deadline: Deadline): Promise<Task> {
  if (task.branchId && cachedBranchName(h, task.branchId) === undefined && project)
    await branches(h, project, deadline);
  return withName(h, task);
}

/** One task, read whole (its notes too) and its branch named. */
export const single = (h: Hub, raw: AgenthubTask, deadline: Deadline): Promise<Task> =>
  named(h, taskOf(raw, { notes: true }), raw.project_id, deadline);

/** What a manage_task call answers, read whole and its branch named. */
export async function written(h: Hub, args: Record<string, unknown>, deadline: Deadline): Promise<Task> {
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
    kvSet(h.cache, key(h, 'branch', project, scope.branch), match.id, ID_TTL_SECONDS);
    return { projectId: project, branchId: match.id, branchIds: [match.id] };
  }
  return {
    projectId: project,
    branchIds: all.slice(0, MAX_BRANCHES_SCANNED).map((b) => b.id),
    note: projectWideNote(scope.project, scope.branch),
  };
}

/** A cached project or branch id the server no longer knows is forgotten and the lookup done once more. */
export async function withFreshIds<T>(
  h: Hub,
  scope: Scope,
  deadline: Deadline,
  fn: (r: Resolved) => Promise<T>,
): Promise<T> {
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
