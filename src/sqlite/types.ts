// The interface every SQLite library is seen through (src/sqlite/driver.ts): the part of better-sqlite3's Database
// that taskhooks uses, which node:sqlite is shaped to (node-driver.ts).

/** A value SQLite binds or returns. */
export type SqlValue = null | number | bigint | string | Uint8Array;

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/** A prepared statement: positional values, or one object of named ones (`@name`, `:name`). */
export interface Statement {
  run(...params: unknown[]): RunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
}

/** `fn` in a transaction: BEGIN (or a savepoint inside one) before, COMMIT after, ROLLBACK when it throws. */
export interface Transaction<A extends unknown[], R> {
  (...args: A): R;
  deferred(...args: A): R;
  immediate(...args: A): R;
  exclusive(...args: A): R;
}

export interface BackupProgress {
  totalPages: number;
  remainingPages: number;
}

export interface Db {
  readonly open: boolean;
  readonly inTransaction: boolean;
  prepare(sql: string): Statement;
  exec(sql: string): unknown;
  /** `PRAGMA <source>`: every row, or with `simple` the first column of the first row. */
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): Transaction<A, R>;
  /** SQLite's online backup into `dest`; `progress` answers how many pages the next step copies (node:sqlite ignores it). */
  backup(dest: string, options?: { progress: (info: BackupProgress) => number }): Promise<unknown>;
  /** The database's pages as one file image (sqlite3_serialize). */
  serialize(): Buffer;
  close(): unknown;
}

export interface OpenOptions {
  readonly?: boolean;
  fileMustExist?: boolean;
  /** Busy timeout in ms. */
  timeout?: number;
}
