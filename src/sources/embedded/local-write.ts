// The built-in store written in the command's own process (`taskhooks tasks add|start|done|edit|note|delete`), with
// no MCP SDK, full zod or loopback call. The store is opened for writes and each change is made as the served store
// makes it (./local-source.ts). Once the command is done, its writes are recorded once (src/cache/task-writes.ts), so
// every session's next hook sees them.
import { openCache, type Cache } from '../../cache/cache.js';
import { snapshotKey, type TaskSnapshot } from '../../cache/snapshots.js';
import { recordTaskWrite } from '../../cache/task-writes.js';
import { commandFailure } from '../../errors/command.js';
import { UserError } from '../../errors/user.js';
import { homeFiles } from '../../home/files.js';
import type { Logger } from '../../log/logger.js';
import { scrubData } from '../../log/redact.js';
import { storeFileOptions } from '../../server/db/recover.js';
import { openStoreWrites, type StoreWrites } from '../../server/db/writer.js';
import { foldLargeWal } from '../../sqlite/index.js';
import type { Scope } from '../../tasks/scope.js';
import type { TaskSource } from '../source.js';
import { listing, next } from './local-read.js';
import { localSource } from './local-source.js';
import { BUILT_IN_VIA_MONITOR } from './notes.js';
import { damaged, markEveryProjectStale } from './store-access.js';

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

/** The scope's snapshot read again from `db` after the write, and when that read began. */
function freshScope(db: StoreWrites, args: LocalWriteArgs): { snapshot: TaskSnapshot; startedAt: number } | undefined {
  const { scope } = args;
  const startedAt = Date.now();
  try {
    const { tasks, note } = listing(db, scope, false);
    const key = snapshotKey(args.sourceKey, scope);
    const snapshot = { ...key, fetchedAt: Date.now(), source: args.server, tasks, next: next(db, scope) };
    return { snapshot: { ...snapshot, ...(note ? { note } : {}) }, startedAt };
  } catch (err) {
    args.log.warn({ err }, 'the change is made, but the store could not be read again: the next hook fetches live');
    return undefined;
  }
}

/**
 * Records the command's writes once. A monitor that serves the store fetches the scope itself, as after a served
 * write, and raises its alerts from the difference; the project is registered so that the monitor follows it, even
 * when no install or session has registered it yet. With no such monitor, the scope's snapshot is read again here, so
 * the next hook needs no fetch of its own.
 */
function recordLocalWrite(cache: Cache, db: StoreWrites, args: LocalWriteArgs, projects: string[]): void {
  const { scope, home, log } = args;
  const at = Date.now();
  const register = { root: scope.projectRoot, name: scope.project, sourceKey: args.sourceKey, registeredBy: 'cli' };
  // The name the answers give says whether a live monitor serves this store (./in-process.ts): no second look.
  const after = args.server === BUILT_IN_VIA_MONITOR ? { register } : { fresh: freshScope(db, args) };
  recordTaskWrite(cache, { home, log, projects, at, ...after, why: 'a task changed' });
}

/**
 * Opens the store for one command's writes, runs `fn` on it and closes it. The projects its writes change are
 * collected, and recorded once at the end (see recordLocalWrite), also when `fn` fails after a write.
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
  // One cache connection for the command, for the record of its writes.
  const cache = args.dbFile ? undefined : openCache({ home, log });
  const changed = new Set<string>();
  const undo =
    cache &&
    db.onChange(({ projects }) => {
      for (const p of projects) changed.add(p);
    });
  if (cache && db.recovered) markEveryProjectStale(db, { home, log, cache });
  try {
    const result = await fn(localSource(db, args.server, args.scope.project));
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
    if (cache && changed.size > 0) recordLocalWrite(cache, db, args, [...changed]);
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
