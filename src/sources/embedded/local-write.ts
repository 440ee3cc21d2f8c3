// The embedded store written in the command's own process (`taskhooks tasks add|start|done|edit|note|delete`): the
// same changes the store's server makes for the agenthub tools, with no MCP SDK, full zod or loopback call. Every
// committed write tells the cache as the monitor's store server does (./store.ts: the project's snapshots marked
// stale, the monitor woken), so the next hook of every session sees it.
import { openCache, type Cache } from '../../cache/cache.js';
import { registerProject } from '../../cache/projects.js';
import { snapshotKey, writeSnapshot } from '../../cache/snapshots.js';
import { commandFailure } from '../../errors/command.js';
import { UserError } from '../../errors/user.js';
import { TaskSourceError } from '../../errors/task-source.js';
import { homeFiles } from '../../home/files.js';
import { readLiveOwner } from '../../home/lock.js';
import { wakeMonitor } from '../../home/signals.js';
import type { Logger } from '../../log/logger.js';
import { scrubData } from '../../log/redact.js';
import { storeFileOptions } from '../../server/db/recover.js';
import { openStoreWrites, type StoreWrites } from '../../server/db/writer.js';
import { TaskDbError } from '../../server/errors.js';
import type { Scope } from '../../tasks/scope.js';
import { ON_TASK, type TaskFieldValues } from '../../tasks/fields.js';
import type { Task, TaskStatus } from '../../tasks/task.js';
import type { NewTaskInput, TaskEdit, TaskSource } from '../source.js';
import { listing, next, single } from './local-read.js';
import { damaged, invalidateOnChange } from './store.js';

/** A store's refusal as the source's failure, worded as the served store words it. */
function refusal(err: unknown, what: string, server: string): unknown {
  if (!(err instanceof TaskDbError)) return err;
  if (err.code === 'NOT_FOUND')
    return new TaskSourceError('not_found', err.message, { short: 'not found', place: server, cause: err });
  return new TaskSourceError('server', `Task server error in manage_task ${what}: ${err.message}`, {
    short: err.message.slice(0, 80),
    place: server,
    cause: err,
  });
}

function fieldsOf(values: TaskFieldValues): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const { name } of ON_TASK) {
    const value = values[name];
    if (value !== undefined) fields[name] = value;
  }
  return fields;
}

/** The ids of `scope`'s project and its branch `name`, made when missing, as the agenthub reader's writes do. */
function ensureBranch(db: StoreWrites, scope: Scope, name: string): { projectId: string; branchId: string } {
  const { project } = db.getOrCreateProject({ name: scope.project, description: scope.projectRoot });
  return {
    projectId: project.id,
    branchId: db.getOrCreateBranch({ projectId: project.id, name, description: '' }).branch.id,
  };
}

function written(db: StoreWrites, id: string): Task {
  const task = single(db, id);
  if (!task) throw new TaskDbError('NOT_FOUND', `Task not found: ${id}`);
  return task;
}

function setStatus(db: StoreWrites, id: string, status: TaskStatus, note: string | undefined): Task {
  if (status === 'done') db.setStatus(id, 'done', note ?? 'Completed with taskhooks');
  else if (!note) db.updateTask(id, { status });
  else {
    // The note joins what the task already says instead of erasing it, as a served status change does.
    const details = db.getTask(id)?.details;
    db.updateTask(id, { status, details: [details, `${status}: ${note}`].filter(Boolean).join('\n\n') });
  }
  return written(db, id);
}

function create(db: StoreWrites, scope: Scope, input: NewTaskInput): Task {
  const branch = scope.branch || 'main';
  const { projectId, branchId } = ensureBranch(db, scope, branch);
  const record = db.createTask({
    ...fieldsOf(input),
    projectId,
    gitBranchId: branchId,
    title: input.title,
    ...(input.description ? { description: input.description } : {}),
    ...(input.details ? { details: input.details } : {}),
    ...(input.priority ? { priority: input.priority } : {}),
    ...(input.labels?.length ? { labels: input.labels } : {}),
  });
  return { ...written(db, record.id), branch };
}

function edit(db: StoreWrites, id: string, change: TaskEdit, scope: Scope): Task {
  db.updateTask(id, {
    ...fieldsOf(change),
    ...(change.title !== undefined ? { title: change.title } : {}),
    ...(change.description !== undefined ? { description: change.description } : {}),
    ...(change.priority !== undefined ? { priority: change.priority } : {}),
    ...(change.branch !== undefined ? { gitBranchId: ensureBranch(db, scope, change.branch).branchId } : {}),
  });
  return written(db, id);
}

/** The store as a TaskSource, each call answered at once from `db` (`server` is the name the answers give). */
export function localSource(db: StoreWrites, server: string): TaskSource {
  const run = <T>(what: string, fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(refusal(err, what, server));
    }
  };
  return {
    adapter: 'agenthub',
    requiredTools: [],
    server: () => server,
    pending: (scope) => run('list', () => listing(db, scope, false)),
    next: (scope) => run('next', () => next(db, scope)),
    get: (id) => run('get', () => written(db, id)),
    projectOf: (id) =>
      run('get', () => {
        const projectId = written(db, id) && db.getTask(id)?.projectId;
        return db.listProjects().find((p) => p.id === projectId)?.name;
      }),
    setStatus: (id, status, opts = {}) =>
      run(status === 'done' ? 'complete' : 'update', () => setStatus(db, id, status, opts.note)),
    create: (scope, input) => run('create', () => create(db, scope, input)),
    listTools: () => Promise.resolve([]),
    listAll: (scope) => run('list', () => listing(db, scope, true).tasks),
    edit: (id, change, scope) => run('update', () => edit(db, id, change, scope)),
    remove: (id) => run('delete', () => db.deleteTask(id)),
    addNote: (id, text) =>
      run('add_note', () => {
        db.addNote(id, text, '');
        return written(db, id);
      }),
    claim: (id, claim) =>
      run('claim', () => {
        db.claimTask({ taskId: id, claimant: claim.claimant, leaseSeconds: claim.leaseSeconds });
        return written(db, id);
      }),
    release: (id, claimant) =>
      run('release', () => {
        db.releaseTask(id, claimant);
        return written(db, id);
      }),
    close: () => Promise.resolve(),
  };
}

/** The scope's snapshot read again from `db` (after the write) and put in the cache. */
function refreshScope(cache: Cache, db: StoreWrites, sourceKey: string, server: string, scope: Scope): void {
  // A change made after this moment may not be in what was read: it keeps the snapshot marked stale.
  const startedAt = Date.now();
  const { tasks, note } = listing(db, scope, false);
  const snapshot = { ...snapshotKey(sourceKey, scope), fetchedAt: Date.now(), source: server, tasks };
  writeSnapshot(cache, { ...snapshot, next: next(db, scope), ...(note ? { note } : {}) }, startedAt);
}

export interface LocalWriteArgs {
  home: string;
  /** A --db file written instead of the home's store: not what the hooks read, so the cache is left alone. */
  dbFile?: string | undefined;
  log: Logger;
  sourceKey: string;
  scope: Scope;
  /** The name the answers give their server. */
  server: string;
  /**
   * The process ends right after without closing (the CLI's end, src/cli/bin.ts): closing the last connections would
   * fold their write-ahead logs into the files and delete them, fsyncs and unlinks the next write makes again.
   */
  leaveOpen?: boolean;
}

/** How long a command's write waits while another connection (the store server, a restore) holds the write lock. */
const BUSY_PATIENCE_MS = 60_000;

/**
 * A running monitor refreshes only the projects it follows: a project written to before any install or session is
 * registered here, so the monitor reads it (and raises its alerts) and the board lists it.
 */
function followedByMonitor(cache: Cache, args: LocalWriteArgs): void {
  const { scope } = args;
  try {
    const registered = registerProject(cache, {
      root: scope.projectRoot,
      name: scope.project,
      sourceKey: args.sourceKey,
      registeredBy: 'cli',
    });
    if (registered) wakeMonitor(args.home, args.log, 'new project');
  } catch (err) {
    args.log.warn({ err }, 'the change is made, but the monitor could not be told of its project: it reads it later');
  }
}

/**
 * Opens the store for one command's writes, runs `fn` on it and closes it. Every committed write marks the project's
 * snapshots stale and wakes a running monitor, which fetches them (and raises its alerts) as after a served write;
 * with no monitor running, the scope's snapshot is read again here, so the next hook needs no fetch of its own.
 */
export async function withLocalSource<T>(args: LocalWriteArgs, fn: (source: TaskSource) => Promise<T>): Promise<T> {
  const { home, log } = args;
  const file = args.dbFile ?? homeFiles(home).tasks;
  let db: StoreWrites;
  try {
    db = openStoreWrites(file, { ...storeFileOptions(file, home, log), busyTimeoutMs: BUSY_PATIENCE_MS });
  } catch (err) {
    throw commandFailure(damaged(err));
  }
  // One cache connection for the command: its writes mark the project stale, and the refresh below uses it too.
  const cache = args.dbFile ? undefined : openCache({ home, log });
  const undo = cache && invalidateOnChange(db, { home, log, cache });
  try {
    const { server } = args;
    const result = await fn(localSource(db, server));
    if (cache && readLiveOwner(home)) followedByMonitor(cache, args);
    else if (cache) {
      try {
        cache.write(() => refreshScope(cache, db, args.sourceKey, server, args.scope));
      } catch (err) {
        log.warn({ err }, 'the change is made, but the cache could not be refreshed: the next hook fetches live');
      }
    }
    return scrubData(result);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'SQLITE_BUSY')
      throw new UserError(
        `${file} stayed locked by another writer for ${BUSY_PATIENCE_MS / 1000} s, so nothing was written: run the command again (\`taskhooks monitor status\` shows what the monitor is doing)`,
        1,
        { cause: err },
      );
    throw commandFailure(err);
  } finally {
    undo?.();
    if (!args.leaveOpen) {
      cache?.close();
      db.close();
    }
  }
}
