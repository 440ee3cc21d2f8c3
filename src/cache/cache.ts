import type { Logger } from '../log/logger.js';
import { DamagedDatabaseError, openSqlite, quarantine, type Db, type OpenSqliteOptions } from '../sqlite/index.js';
import { MIGRATIONS } from './migrations.js';
import { homeFiles } from '../home/files.js';
import { refuseMigrationUnderOtherBuild } from '../home/monitor-info.js';
import path from 'node:path';

export interface Cache {
  readonly db: Db;
  readonly file: string;
  /** The state directory the cache belongs to (where the news generation is bumped). */
  readonly home: string;
  /** Runs `fn` in a `BEGIN IMMEDIATE` transaction: writers queue on busy_timeout instead of failing mid-way. */
  write<T>(fn: () => T): T;
  close(): void;
  /** Set when the state directory cannot be written and this is a copy in memory (src/cache/copy.ts). */
  readonly copy?: CacheCopy;
}

/** A cache read where nothing may be written: what was read, and why it is a copy. */
export interface CacheCopy {
  /** Whether the file could be read: false, the copy is empty. */
  read: boolean;
  /** One line for the session and the status line: what is wrong, with the fix. */
  problem: string;
}

export interface OpenCacheOptions {
  /** The state directory; the database is `<home>/cache.db` unless `file` is given. */
  home: string;
  file?: string;
  log?: Logger;
  busyTimeoutMs?: number;
  /** The connection's page cache in KiB (see OpenSqliteOptions.pageCacheKiB); SQLite's build default when absent. */
  pageCacheKiB?: number;
  /** See OpenSqliteOptions.autoCheckpoint; on by default. */
  autoCheckpoint?: boolean;
}

/**
 * Opens (creating and migrating as needed) the shared cache. A file that is not a database, or is damaged,
 * is renamed aside and a fresh one created, so a corrupt cache costs the cached data and nothing else.
 */
export function openCache(options: OpenCacheOptions): Cache {
  const file = options.file ?? homeFiles(options.home).cache;
  // Private: the cache holds OAuth tokens. A missing state dir (a first run) is created 0700 rather than failing.
  const sqlite: OpenSqliteOptions = {
    migrations: MIGRATIONS,
    busyTimeoutMs: options.busyTimeoutMs ?? 5000,
    privateFile: true,
    beforeMigrate: (_db, from) =>
      refuseMigrationUnderOtherBuild(
        options.home,
        `${path.basename(file)} is at schema ${from} and this build moves it to ${MIGRATIONS.length}`,
      ),
    ...(options.pageCacheKiB !== undefined ? { pageCacheKiB: options.pageCacheKiB } : {}),
    ...(options.autoCheckpoint !== undefined ? { autoCheckpoint: options.autoCheckpoint } : {}),
  };
  let db: Db;
  try {
    db = openSqlite(file, sqlite);
  } catch (err) {
    if (!(err instanceof DamagedDatabaseError)) throw err;
    const movedTo = quarantine(file, { log: options.log });
    options.log?.error(
      { file, movedTo, err: err.cause },
      'cache database was corrupt or unreadable: moved aside and recreated',
    );
    db = openSqlite(file, sqlite);
  }
  return cacheOn(db, file, options.home);
}

/** Above the statements the cache's modules write; SQL built per call (IN lists of any length) cannot grow it further. */
const MAX_STATEMENTS = 256;

/**
 * Keeps each compiled statement of the connection for its next use: the monitor answers every tool call's hooks with
 * one connection, and compiling the same SQL again on each was a fifth of a served hook's time. Safe because the cache's
 * statements are run whole (get, all, run), never iterated or switched to pluck/raw, and die with the connection.
 */
function keepStatements(db: Db): Db {
  const prepare = db.prepare.bind(db);
  const kept = new Map<string, ReturnType<typeof prepare>>();
  const reuse = (sql: string) => {
    let statement = kept.get(sql);
    if (!statement) {
      if (kept.size >= MAX_STATEMENTS) kept.clear();
      statement = prepare(sql);
      kept.set(sql, statement);
    }
    return statement;
  };
  db.prepare = reuse as Db['prepare'];
  return db;
}

/** The Cache over an open connection. */
export function cacheOn(connection: Db, file: string, home: string, copy?: CacheCopy): Cache {
  const db = keepStatements(connection);
  return {
    db,
    file,
    home,
    write: <T>(fn: () => T): T => db.transaction(fn).immediate(),
    close: () => {
      if (db.open) db.close();
    },
    ...(copy ? { copy } : {}),
  };
}

/** Opens the cache for one piece of work and always closes it. */
export function withCache<T>(options: OpenCacheOptions, fn: (cache: Cache) => T): T {
  const cache = openCache(options);
  try {
    return fn(cache);
  } finally {
    cache.close();
  }
}
