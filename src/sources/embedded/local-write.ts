// The built-in store written in the command's own process (`taskhooks tasks add|start|done|edit|note|delete`), with
// no MCP SDK, full zod or loopback call. The store is opened for writes and each change is made as the served store
// makes it (./local-source.ts). Once the command is done, this route says what its writes changed, and the command
// records that once (src/cache/task-writes.ts), so every session's next hook sees them.
import type { Cache, TaskChange } from '../../cache/index.js';
import { commandFailure } from '../../errors/command.js';
import { UserError } from '../../errors/user.js';
import { homeFiles } from '../../home/files.js';
import type { Logger } from '../../log/logger.js';
import { scrubData } from '../../log/redact.js';
import { storeFileOptions } from '../../store/tasks-db/recover.js';
import { openStoreWrites, type StoreWrites } from '../../store/tasks-db/writer.js';
import type { RouteOptions, SourceRoute } from '../route.js';
import type { TaskSource } from '../source.js';
import { localSource } from './local-source.js';
import { freshScopes } from './fresh-scopes.js';
import type { StoreChange } from '../../store/connection.js';
import { BUILT_IN_STORE, BUILT_IN_VIA_MONITOR } from './notes.js';
import { damaged, everyProject, ownWrites } from './store-access.js';

/** How long a command's write waits while another connection (the store server, a restore) holds the write lock. */
const BUSY_PATIENCE_MS = 60_000;

/**
 * What the command's writes changed: every cached scope of the changed projects, and the command's own, read again
 * here, so the next hook of any session needs no fetch and no monitor poll (./fresh-scopes.ts). Where a monitor
 * serves the store, the project is registered so that the monitor follows it, even when no install or session has
 * registered it yet. A command run by a session's Bash tool (Claude Code names the session in its environment) made
 * its writes as that session: no news to it.
 */
function changeOf(db: StoreWrites, o: RouteOptions, server: string, changes: StoreChange[]): TaskChange {
  const { scope } = o;
  const at = Date.now();
  const projects = [...new Set(changes.map((c) => c.project))];
  const by = ownWrites(sessionOfCommand(o.env), changes);
  const fresh = readAgain(db, o, { projects, server, also: scope });
  if (!o.monitorServes) return { projects, at, fresh, by };
  const register = { root: scope.projectRoot, name: scope.project, sourceKey: o.source.key, registeredBy: 'cli' };
  return { projects, at, fresh, by, register };
}

/** The Claude Code session whose tool runs this command, by the variable Claude Code sets for its tools' processes. */
const sessionOfCommand = (env: NodeJS.ProcessEnv): string | undefined => env.CLAUDE_CODE_SESSION_ID || undefined;

function readAgain(db: StoreWrites, o: RouteOptions, a: Parameters<typeof freshScopes>[2]): TaskChange['fresh'] {
  if (!o.cache) return undefined;
  try {
    return freshScopes(db, o.cache, a);
  } catch (err) {
    o.log.warn({ err }, 'the change is made, but the store could not be read again: the next hook fetches live');
    return undefined;
  }
}

function opened(file: string, o: RouteOptions): StoreWrites {
  try {
    return openStoreWrites(file, { ...storeFileOptions(file, o.home, o.log), busyTimeoutMs: BUSY_PATIENCE_MS });
  } catch (err) {
    throw commandFailure(damaged(err));
  }
}

/** A failure of the command's change, as the one line a person acts on. */
function failure(err: unknown, file: string): unknown {
  if ((err as { code?: unknown }).code !== 'SQLITE_BUSY') return commandFailure(err);
  return new UserError(
    `${file} stayed locked by another writer for ${BUSY_PATIENCE_MS / 1000} s, so nothing was written: run the command again (\`taskhooks monitor status\` shows what the monitor is doing)`,
    1,
    { cause: err },
  );
}

/**
 * The store opened for one command's writes, each change made as the served store makes it. The projects its writes
 * change (every project, when the store was just restored) are collected, and reported once at the end (see
 * changeOf), also when the command fails after a write.
 */
export function localRoute(o: RouteOptions): SourceRoute {
  const file = o.dbFile ?? homeFiles(o.home).tasks;
  const server = o.monitorServes ? BUILT_IN_VIA_MONITOR : BUILT_IN_STORE;
  const db = opened(file, o);
  return new LocalRoute(db, localSource(db, server, o.scope.project), { file, server }, o);
}

class LocalRoute implements SourceRoute {
  private readonly changes: StoreChange[] = [];
  private readonly undo: (() => void) | undefined;

  constructor(
    private readonly db: StoreWrites,
    private readonly source: TaskSource,
    private readonly store: { file: string; server: string },
    private readonly o: RouteOptions,
  ) {
    const { cache } = o;
    // Nothing is recorded of a --db file (no cache): its changes are not collected either.
    this.undo = cache && db.onChange(({ changes }) => this.changes.push(...changes));
    if (cache && db.recovered) restored(db, cache, this.changes, o.log);
  }

  async act<T>(fn: (source: TaskSource) => Promise<T>): Promise<T> {
    try {
      return scrubData(await fn(this.source));
    } catch (err) {
      throw failure(err, this.store.file);
    }
  }

  whatChanged(): Promise<TaskChange | undefined> {
    this.undo?.();
    const { changes } = this;
    return Promise.resolve(changes.length > 0 ? changeOf(this.db, this.o, this.store.server, changes) : undefined);
  }

  end(how: 'close' | 'leave'): Promise<void> {
    if (how === 'close') this.db.close();
    else leave(this.db, this.o.log);
    return Promise.resolve();
  }
}

/** A store just restored from a backup is news for every project at once. */
function restored(db: StoreWrites, cache: Cache, changed: StoreChange[], log: Logger): void {
  try {
    for (const project of everyProject(db, cache)) changed.push({ project, taskIds: [] });
  } catch (err) {
    // The store is open and usable; a hook may show the old state until the next scheduled refresh.
    log.warn({ err }, 'could not name the projects of the restored store: their snapshots are not marked stale');
  }
}

/** The store left open for the process's end, its write-ahead log kept to its bound (src/sqlite/wal.ts). */
function leave(db: StoreWrites, log: Logger): void {
  try {
    if (db.leave()) log.debug({ folded: 'tasks' }, 'write-ahead log folded into its file');
  } catch (err) {
    // The write is done and durable in the log; the next opener reads it, only more slowly.
    log.warn({ err }, 'could not fold a write-ahead log into its file');
  }
}
