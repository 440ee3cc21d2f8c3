// The embedded store as a source: reached over loopback where the monitor serves it, in-process otherwise.
// Whoever hosts its store also tells the shared cache about every write, so no session is shown tasks as they were.
import { listProjects } from '../../cache/registered-projects.js';
import { recordTaskWrite, type TaskWrite } from '../../cache/task-writes.js';
import { actor } from '../../cache/acting-for.js';
import type { StoreChange } from '../../store/connection.js';
import type { StoreReads } from '../../store/tasks-db/reader.js';
import { freshScopes } from './fresh-scopes.js';
import { withCache, type Cache } from '../../cache/cache.js';
import { readStoreServerEndpoint, type StoreServerEndpoint } from '../../home/endpoint.js';
import type { Logger } from '../../log/logger.js';
import { NO_AUTH } from '../../auth/provider.js';
import { DamagedStoreError } from '../../errors/damaged-store.js';
import { TaskSourceError } from '../../errors/task-source.js';
import type { Endpoint } from '../../resilience/tool-session.js';
import type { TaskDb } from '../../server/index.js';
import { BUILT_IN_STORE } from './notes.js';

/** The monitor's store server, if it publishes one; a damaged file means the store is used in-process. */
export function readStoreServer(home: string, log: Logger): StoreServerEndpoint | undefined {
  try {
    return readStoreServerEndpoint(home);
  } catch (err) {
    log.warn({ err }, 'store server endpoint unusable: using the store in-process');
    return undefined;
  }
}

/**
 * After every committed write to `db`, the write is recorded (src/cache/task-writes.ts) by this process, which holds
 * the store: every cached scope of the changed projects is read again here and written to the cache, so the next hook
 * reads the change with no fetch and no monitor poll; a session whose call made the write (actingFor,
 * src/cache/own-writes.ts) is not told it as news. `ctx.cache` is the host's open cache; without one, a cache is
 * opened for each write. A store that was just restored from a backup is news for every project at once, marked stale
 * for the monitor to fetch. Returns the undo.
 */
export function invalidateOnChange(
  db: Pick<TaskDb, 'onChange' | 'recovered' | 'listProjects'> & StoreReads,
  ctx: CacheHost,
): () => void {
  const undo = db.onChange(({ projects, changes }) =>
    recordWrite(ctx, (cache) => ({
      projects,
      fresh: freshScopes(db, cache, { projects, server: ctx.server ?? BUILT_IN_STORE }),
      by: ownWrites(actor(), changes),
    })),
  );
  if (db.recovered) markEveryProjectStale(db, ctx);
  return undo;
}

type CacheHost = { home: string; log: Logger; cache?: Cache; server?: string };

/** The tasks a session's own call wrote, as the write's record notes them; none when no session made it. */
export function ownWrites(sessionId: string | undefined, changes: readonly StoreChange[]): TaskWrite['by'] {
  if (!sessionId) return undefined;
  const at = Date.now();
  return { sessionId, writes: changes.flatMap((c) => c.taskIds.map((id) => ({ project: c.project, id, at }))) };
}

/** Records a write as `change` says it (it may read the cache to say it). */
function recordWrite(ctx: CacheHost, change: (cache: Cache) => Pick<TaskWrite, 'projects' | 'fresh' | 'by'>): void {
  const record = (cache: Cache): void => {
    // The write committed before this: the scopes read again after it are what the cache trusts.
    const at = Date.now();
    recordTaskWrite(cache, { home: ctx.home, log: ctx.log, at, ...change(cache), why: 'the task store changed' });
  };
  try {
    if (ctx.cache) record(ctx.cache);
    else withCache({ home: ctx.home, log: ctx.log }, record);
  } catch (err) {
    // The write itself is done; a hook may show the old state until the next scheduled refresh.
    ctx.log.warn({ err }, 'could not tell the cache of the changed projects');
  }
}

/**
 * For a store replaced as a whole (restored from a backup): every project it holds, and every one the cache knows
 * (some may exist only in the store that was put aside), is marked stale and the monitor woken.
 */
export function markEveryProjectStale(db: Pick<TaskDb, 'listProjects'>, ctx: CacheHost): void {
  recordWrite(ctx, (cache) => ({ projects: everyProject(db, cache) }));
}

/** Every project the store holds, and every one the cache knows (some may exist only in a store put aside). */
export const everyProject = (db: Pick<TaskDb, 'listProjects'>, cache: Cache): string[] => [
  ...new Set([...db.listProjects().map((p) => p.name), ...listProjects(cache).map((p) => p.name)]),
];

/** A store damaged with no backup to restore, said as the source's failure: no retry or failover heals it. */
export function damaged(err: unknown): unknown {
  if (!(err instanceof DamagedStoreError)) return err;
  return new TaskSourceError('server', err.withFix, {
    short: 'task store damaged, no good backup: `taskhooks tasks restore`',
    place: err.file,
    fix: err.fix,
    cause: err,
  });
}

function openDamageAware(open: () => TaskDb): TaskDb {
  try {
    return open();
  } catch (err) {
    throw damaged(err);
  }
}

/** The task server in process on `dbFile`, loaded only when a call first needs it. */
export function inProcessEndpoint(
  dbFile: string,
  ctx: { home: string; log: Logger; cache: Cache },
): { endpoint: Endpoint; close: () => void } {
  // One database for the source's life: a reconnect (after a dropped connection) attaches a new server to it.
  let db: TaskDb | undefined;
  const endpoint: Endpoint = {
    server: BUILT_IN_STORE,
    auth: NO_AUTH,
    local: true,
    target: {
      kind: 'memory',
      label: BUILT_IN_STORE,
      attach: async (serverSide) => {
        const { openTaskDb, createTaskServer, sqliteStore, storeFileOptions } = await import('../../server/index.js');
        if (!db) {
          db = openDamageAware(() => openTaskDb(dbFile, storeFileOptions(dbFile, ctx.home, ctx.log)));
          invalidateOnChange(db, ctx);
        }
        await createTaskServer({
          store: sqliteStore(db),
          log: ctx.log.child({ component: 'store-server' }),
        }).connect(serverSide);
      },
    },
  };
  return { endpoint, close: () => db?.close() };
}
