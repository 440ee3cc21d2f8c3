// tasks.db as one connection holds it: the open database, the statements prepared on it, and which file at the path it
// opened, so that a file put there by another process (a restore) is noticed and opened in its place.
import { statSync } from 'node:fs';
import { DamagedStoreError } from '../../errors/damaged-store.js';
import type { Db, Statement } from '../../sqlite/index.js';
import { openStoreFile, type Recovery, type StoreFileOptions } from './recover.js';
import { TASK_DB_MIGRATIONS } from '../schema.js';

function openTaskFile(file: string, options: StoreFileOptions): { db: Db; recovered?: Recovery } {
  try {
    return openStoreFile(file, TASK_DB_MIGRATIONS, options);
  } catch (err) {
    if (err instanceof DamagedStoreError) throw err;
    throw new Error(`Cannot open task database ${file}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}

function identityOf(file: string): string {
  const st = statSync(file, { throwIfNoEntry: false });
  return st ? `${st.dev}:${st.ino}` : 'missing';
}

function projectNames(db: Db): string[] {
  try {
    return (db.prepare('SELECT name FROM projects').all() as { name: string }[]).map((r) => r.name);
  } catch {
    return []; // a damaged file names none
  }
}

export class HeldFile {
  /** The open database: a new one after a reopen; closed when the last reopen failed. */
  db: Db;
  /** What opening this store (or reopening it) restored from a backup, if it had to. */
  recovered: Recovery | undefined;
  /** Set by `close`: operations run on as they are, no reopen is tried. */
  closed = false;
  private identity: string;
  // Statements belong to one database: a reopen drops them all.
  private readonly statements = new Map<string, Statement>();

  constructor(
    readonly file: string,
    private readonly options: StoreFileOptions,
  ) {
    const opened = openTaskFile(file, options);
    this.db = opened.db;
    this.recovered = opened.recovered;
    this.identity = identityOf(file);
  }

  /** The statement for `sql`, prepared on first use and kept until the database is reopened. */
  statement(sql: string): Statement {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, (st = this.db.prepare(sql)));
    return st;
  }

  /**
   * Another file at the path: a restore by another process. No file at all is not a reason to move: this connection
   * still holds the store (deleted, or moved aside by hand), and reopening would start an empty one.
   */
  replaced(): boolean {
    const now = identityOf(this.file);
    return now !== this.identity && now !== 'missing';
  }

  /**
   * Opens the file now at the path in place of the one held; returns the projects of both, every one of which has
   * changed as far as a reader knows. A failed open leaves the old database closed, and throws.
   */
  reopen(why: string): string[] {
    const before = projectNames(this.db);
    this.statements.clear();
    if (this.db.open) this.db.close();
    const opened = openTaskFile(this.file, this.options);
    this.db = opened.db;
    this.recovered = opened.recovered ?? this.recovered;
    this.identity = identityOf(this.file);
    this.options.log?.warn({ file: this.file, why }, 'task store reopened');
    return [...new Set([...before, ...projectNames(this.db)])];
  }

  close(): void {
    this.closed = true;
    if (this.db.open) this.db.close();
  }
}
