// The built-in store written in the command's own process (`taskhooks tasks add|start|done|edit|note|delete`), with
// no MCP SDK, full zod or loopback call: the store opened for writes, each change made as the served store makes it
// (./local-source.ts), and every committed write told to the cache as the monitor's store server tells it
// (./store-access.ts: the project's snapshots marked stale, the monitor woken), so every session's next hook sees it.
import { openCache, type Cache } from '../../cache/cache.js';
import { registerProject } from '../../cache/registered-projects.js';
import { snapshotKey, writeSnapshot } from '../../cache/snapshots.js';
import { commandFailure } from '../../errors/command.js';
import { UserError } from '../../errors/user.js';
import { homeFiles } from '../../home/files.js';
import { readLiveOwner } from '../../home/lock.js';
import { wakeMonitor } from '../../home/signals.js';
import type { Logger } from '../../log/logger.js';
import { scrubData } from '../../log/redact.js';
import { storeFileOptions } from '../../server/db/recover.js';
import { openStoreWrites, type StoreWrites } from '../../server/db/writer.js';
import { foldLargeWal } from '../../sqlite/index.js';
import type { Scope } from '../../tasks/scope.js';
import type { TaskSource } from '../source.js';
import { listing, next } from './local-read.js';
import { localSource } from './local-source.js';
import { damaged, invalidateOnChange } from './store-access.js';

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
   * The process ends right after without closing (the CLI's end, src/cli/start.ts): closing the last connections would
   * fold their write-ahead logs into the files and delete them, fsyncs and unlinks the next write makes again. A log
   * is folded only once it has grown past its bound (src/sqlite/wal.ts).
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
    const result = await fn(localSource(db, server, args.scope.project));
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
    if (args.leaveOpen) leave(db, cache, log);
    else {
      cache?.close();
      db.close();
    }
  }
}

/** The store and cache left open for the process's end, each write-ahead log kept to its bound (src/sqlite/wal.ts). */
function leave(db: StoreWrites, cache: Cache | undefined, log: Logger): void {
  try {
    const folded = { tasks: db.leave(), cache: cache ? foldLargeWal(cache.db, cache.file) : false };
    if (folded.tasks || folded.cache) log.debug({ folded }, 'write-ahead logs folded into their files');
  } catch (err) {
    // The write is done and durable in the log; the next opener reads it, only more slowly.
    log.warn({ err }, 'could not fold a write-ahead log into its file');
  }
}
