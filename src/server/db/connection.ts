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
  /** Notes, inside a write, that the project's tasks or branches changed: listeners hear of it once it commits. */
  changed(projectId: string): void;
  /** Calls `listener` after every committed write that changed a project's tasks or branches; returns its undo. */
  onChange(listener: ChangeListener): () => void;
  close(): void;
}

/** What a committed write changed: the names of the projects whose tasks or branches are not what they were. */
export interface TaskDbChange {
  projects: string[];
}

/** Runs after the commit, outside the transaction; it must not throw (the write is done either way). */
export type ChangeListener = (change: TaskDbChange) => void;

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
  const listeners = new Set<ChangeListener>();
  // Names, not ids: a rename changes what readers call the project, and both names must hear of it.
  let touched = new Set<string>();
  const statement = (sql: string): Database.Statement => {
    let st = statements.get(sql);
    if (!st) statements.set(sql, (st = db.prepare(sql)));
    return st;
  };
  return {
    file,
    db,
    statement,
    write: (fn) => {
      // A write inside a write is a savepoint of the outer one: only the outermost commit is news.
      if (db.inTransaction) return db.transaction(fn).immediate();
      touched = new Set();
      const result = db.transaction(fn).immediate();
      const projects = [...touched];
      touched = new Set();
      if (projects.length > 0) for (const listener of listeners) listener({ projects });
      return result;
    },
    changed: (projectId) => {
      const row = statement('SELECT name FROM projects WHERE id = ?').get(projectId) as { name: string } | undefined;
      if (row) touched.add(row.name);
    },
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      if (db.open) db.close();
    },
  };
}

/** Timestamps are ISO 8601 text: they sort as they read. */
export function now(): string {
  return new Date().toISOString();
}
