// Node's own SQLite (node:sqlite, DatabaseSync) behind the seam (src/sqlite/driver.ts), shaped as better-sqlite3's
// Database where taskhooks uses it: pragma, transaction, backup, serialize and better-sqlite3's error codes.
import { existsSync } from 'node:fs';
import type { BackupProgress, Db, OpenOptions, RunResult, Statement, Transaction } from './types.js';
import { imageByChild, imageFile } from './node-image.js';

// The part of node:sqlite used here (@types/node 20 does not describe it).
interface NodeStatement {
  run(...params: unknown[]): RunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
}
interface DatabaseSync {
  readonly isOpen: boolean;
  readonly isTransaction: boolean;
  prepare(sql: string): NodeStatement;
  exec(sql: string): void;
  close(): void;
  /** The file's path; null in memory. */
  location(): string | null;
  /** Node 24 and later. */
  serialize?(): Uint8Array;
  deserialize?(image: Uint8Array): void;
}
interface NodeSqlite {
  DatabaseSync: {
    new (path: string, options?: { readOnly?: boolean; timeout?: number }): DatabaseSync;
    prototype: DatabaseSync;
  };
  backup(
    db: DatabaseSync,
    dest: string,
    options?: { rate?: number; progress?: (info: BackupProgress) => void },
  ): Promise<number>;
}

let loaded: NodeSqlite | null | undefined;

/**
 * node:sqlite, or undefined where this Node has none (before 22.13 without a flag). Loading it warns once that it is
 * experimental (Node 22): that one warning is dropped, as a hook's stderr must stay clean; any other passes.
 */
export function loadNodeSqlite(): NodeSqlite | undefined {
  if (loaded !== undefined) return loaded ?? undefined;
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: unknown } | undefined)?.type;
    if (type === 'ExperimentalWarning' && text.startsWith('SQLite ')) return;
    (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    loaded = (process.getBuiltinModule?.('node:sqlite') as NodeSqlite | undefined) ?? null;
  } catch {
    // Node 22.5 to 22.12 without --experimental-sqlite: not there.
    loaded = null;
  } finally {
    process.emitWarning = emit;
  }
  return loaded ?? undefined;
}

/** SQLite's result codes as better-sqlite3 names them, which the callers compare. */
const PRIMARY = [
  'OK',
  'ERROR',
  'INTERNAL',
  'PERM',
  'ABORT',
  'BUSY',
  'LOCKED',
  'NOMEM',
  'READONLY',
  'INTERRUPT',
  'IOERR',
  'CORRUPT',
  'NOTFOUND',
  'FULL',
  'CANTOPEN',
  'PROTOCOL',
  'EMPTY',
  'SCHEMA',
  'TOOBIG',
  'CONSTRAINT',
  'MISMATCH',
  'MISUSE',
  'NOLFS',
  'AUTH',
  'FORMAT',
  'RANGE',
  'NOTADB',
  'NOTICE',
  'WARNING',
];
// The extended codes callers tell apart; any other is named by its primary code, which callers match as a prefix.
const EXTENDED: Record<number, string> = {
  261: 'BUSY_RECOVERY',
  517: 'BUSY_SNAPSHOT',
  267: 'CORRUPT_VTAB',
  522: 'IOERR_SHORT_READ',
  787: 'CONSTRAINT_FOREIGNKEY',
  1555: 'CONSTRAINT_PRIMARYKEY',
  2067: 'CONSTRAINT_UNIQUE',
};

/** node:sqlite's error with `code` set to SQLite's name for it (node:sqlite says ERR_SQLITE_ERROR and a number). */
function named(err: unknown): unknown {
  const e = err as { code?: unknown; errcode?: unknown } | null;
  if (e && e.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number') {
    const name = EXTENDED[e.errcode] ?? PRIMARY[e.errcode & 0xff];
    if (name) e.code = `SQLITE_${name}`;
  }
  return err;
}

class NodeStatementOf implements Statement {
  readonly #s: NodeStatement;
  constructor(s: NodeStatement) {
    this.#s = s;
  }
  run(...params: unknown[]): RunResult {
    try {
      return this.#s.run(...params);
    } catch (err) {
      throw named(err);
    }
  }
  get(...params: unknown[]): unknown {
    try {
      return this.#s.get(...params);
    } catch (err) {
      throw named(err);
    }
  }
  all(...params: unknown[]): unknown[] {
    try {
      return this.#s.all(...params);
    } catch (err) {
      throw named(err);
    }
  }
  iterate(...params: unknown[]): IterableIterator<unknown> {
    try {
      return this.#s.iterate(...params);
    } catch (err) {
      throw named(err);
    }
  }
}

type Begin = 'BEGIN' | 'BEGIN IMMEDIATE' | 'BEGIN EXCLUSIVE';

class NodeDb implements Db {
  // Private fields: a closed DatabaseSync throws on its getters, which a test's inspection of this object would call.
  readonly #db: DatabaseSync;
  readonly #sqlite: NodeSqlite;
  readonly #onClose: (() => void) | undefined;
  #savepoints = 0;
  constructor(db: DatabaseSync, sqlite: NodeSqlite, onClose?: () => void) {
    this.#db = db;
    this.#sqlite = sqlite;
    this.#onClose = onClose;
  }
  get open(): boolean {
    return this.#db.isOpen;
  }
  get inTransaction(): boolean {
    return this.#db.isOpen && this.#db.isTransaction;
  }
  prepare(sql: string): Statement {
    try {
      return new NodeStatementOf(this.#db.prepare(sql));
    } catch (err) {
      throw named(err);
    }
  }
  exec(sql: string): this {
    try {
      this.#db.exec(sql);
    } catch (err) {
      throw named(err);
    }
    return this;
  }
  pragma(source: string, options?: { simple?: boolean }): unknown {
    const statement = this.prepare(`PRAGMA ${source}`);
    if (!options?.simple) return statement.all();
    const row = statement.get() as Record<string, unknown> | undefined;
    return row === undefined ? undefined : Object.values(row)[0];
  }
  /** As better-sqlite3's: a nested call is a savepoint, so an inner failure undoes only its own part. */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): Transaction<A, R> {
    const run =
      (begin: Begin) =>
      (...args: A): R => {
        if (this.#db.isTransaction) return this.savepoint(fn, args);
        this.exec(begin);
        try {
          const result = fn(...args);
          this.exec('COMMIT');
          return result;
        } catch (err) {
          if (this.#db.isTransaction) this.exec('ROLLBACK');
          throw err;
        }
      };
    return Object.assign(run('BEGIN'), {
      deferred: run('BEGIN'),
      immediate: run('BEGIN IMMEDIATE'),
      exclusive: run('BEGIN EXCLUSIVE'),
    });
  }
  private savepoint<A extends unknown[], R>(fn: (...args: A) => R, args: A): R {
    const name = `taskhooks_${++this.#savepoints}`;
    this.exec(`SAVEPOINT ${name}`);
    try {
      const result = fn(...args);
      this.exec(`RELEASE ${name}`);
      return result;
    } catch (err) {
      if (this.#db.isTransaction) this.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
      throw err;
    } finally {
      this.#savepoints--;
    }
  }
  async backup(dest: string, options?: { progress: (info: BackupProgress) => number }): Promise<unknown> {
    // node:sqlite copies a fixed number of pages a step; the progress callback only watches.
    const progress = options?.progress;
    return this.#sqlite
      .backup(this.#db, dest, { rate: 1024, ...(progress ? { progress: (info) => void progress(info) } : {}) })
      .catch((err: unknown) => {
        throw named(err);
      });
  }
  serialize(): Buffer {
    if (!this.#db.serialize) {
      const file = this.#db.location();
      if (!file) throw new Error(`copying a database in memory needs Node 24 or later (this is ${process.version})`);
      return imageByChild(file);
    }
    const image = this.#db.serialize();
    return Buffer.from(image.buffer, image.byteOffset, image.byteLength);
  }
  close(): this {
    if (this.#db.isOpen) this.#db.close();
    this.#onClose?.();
    return this;
  }
}

/** Opens `file` with node:sqlite; a Buffer is a database image, opened in memory (in a private file before Node 24). */
export function openNode(file: string | Buffer, options: OpenOptions): Db {
  const sqlite = loadNodeSqlite();
  if (!sqlite) throw new Error(`Node ${process.version} has no node:sqlite`);
  if (typeof file === 'string' && options.fileMustExist && file !== ':memory:' && !existsSync(file))
    throw Object.assign(new Error(`unable to open database file: ${file} does not exist`), { code: 'SQLITE_CANTOPEN' });
  const inMemory = typeof file !== 'string' && sqlite.DatabaseSync.prototype.deserialize !== undefined;
  const image = typeof file !== 'string' && !inMemory ? imageFile(file) : undefined;
  let db: DatabaseSync;
  try {
    db = new sqlite.DatabaseSync(typeof file === 'string' ? file : (image?.file ?? ':memory:'), {
      readOnly: options.readonly === true,
      timeout: options.timeout ?? 5000,
    });
    if (inMemory) db.deserialize?.(file as Buffer);
  } catch (err) {
    image?.remove();
    throw named(err);
  }
  return new NodeDb(db, sqlite, image?.remove);
}
