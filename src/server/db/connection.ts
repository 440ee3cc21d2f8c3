// tasks.db's one connection: opened through the shared SQLite opener, every write in BEGIN IMMEDIATE so ID counters
// and reservations stay race-free across connections and processes.
import type Database from 'better-sqlite3';
import { DamagedDatabaseError, openSqlite, type Db } from '../../sqlite/index.js';
import { TASK_DB_MIGRATIONS } from './schema.js';

export interface Connection {
  readonly file: string;
  readonly db: Db;
  /**
   * The statement for `sql`, prepared on first use and kept: the one way this store prepares SQL. List filters
   * build their SQL per call and repeat the same few shapes, so a cache keyed by the text is needed for them
   * anyway; fixed statements go through it too, which prepares each once and only when an operation needs it.
   */
  statement(sql: string): Database.Statement;
  /** Runs `fn` in a `BEGIN IMMEDIATE` transaction: writers queue on busy_timeout instead of failing mid-way. */
  write<T>(fn: () => T): T;
  close(): void;
}

export interface TaskDbOptions {
  busyTimeoutMs?: number;
}

/**
 * The task file holds people's work: private, and never recreated when damaged. Damage is refused with the file
 * named and the file left as it is, for the user (or a restore from a copy) to deal with.
 */
function openTaskFile(file: string, options: TaskDbOptions): Db {
  try {
    return openSqlite(file, { migrations: TASK_DB_MIGRATIONS, privateFile: true, ...options });
  } catch (err) {
    if (err instanceof DamagedDatabaseError) {
      throw new Error(
        `Cannot open task database ${file}: ${err.cause.message}. It was left as it is: restore it from a copy, or move it aside and the server starts with an empty one`,
        { cause: err },
      );
    }
    throw new Error(`Cannot open task database ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

export function openConnection(file: string, options: TaskDbOptions): Connection {
  const db = openTaskFile(file, options);
  const statements = new Map<string, Database.Statement>();
  return {
    file,
    db,
    statement: (sql) => {
      let st = statements.get(sql);
      if (!st) statements.set(sql, (st = db.prepare(sql)));
      return st;
    },
    write: (fn) => db.transaction(fn).immediate(),
    close: () => {
      if (db.open) db.close();
    },
  };
}

/** Timestamps are ISO 8601 text: they sort as they read. */
export function now(): string {
  return new Date().toISOString();
}
