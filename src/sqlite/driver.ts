// The one seam between taskhooks and an SQLite library: Node's own node:sqlite where the running Node has it, else
// better-sqlite3 (a devDependency, compiled in a clone: the dev and test setup on Node 20). Nothing outside src/sqlite
// imports either; it sees only the small interface of ./types.ts, the part of better-sqlite3's that taskhooks uses.
import { openBetter, betterAddon } from './better-driver.js';
import { NoSqliteError } from './no-driver.js';
import { refuseSpecialFile } from '../util/safe-read.js';
import type { Db, OpenOptions } from './types.js';
import { loadNodeSqlite, openNode } from './node-driver.js';

export type { BackupProgress, Db, OpenOptions, RunResult, SqlValue, Statement, Transaction } from './types.js';

export type DriverName = 'node' | 'better-sqlite3';

/** TASKHOOKS_SQLITE's values: which library to use when both are there. */
const CHOICES: readonly string[] = ['node', 'better-sqlite3'];

let chosen: DriverName | NoSqliteError | undefined;

function wanted(): DriverName | undefined {
  const raw = process.env.TASKHOOKS_SQLITE;
  if (raw === undefined || raw === '') return undefined;
  if (CHOICES.includes(raw)) return raw as DriverName;
  throw new NoSqliteError(`TASKHOOKS_SQLITE=${raw} names no driver (use ${CHOICES.join(' or ')})`);
}

function choose(): DriverName | NoSqliteError {
  let want: DriverName | undefined;
  try {
    want = wanted();
  } catch (err) {
    return err as NoSqliteError;
  }
  const node = (): boolean => loadNodeSqlite() !== undefined;
  const better = (): boolean => betterAddon() !== undefined;
  if (want === 'node')
    return node() ? 'node' : new NoSqliteError(`TASKHOOKS_SQLITE=node, but Node ${process.version} has no node:sqlite`);
  if (want === 'better-sqlite3')
    return better()
      ? 'better-sqlite3'
      : new NoSqliteError('TASKHOOKS_SQLITE=better-sqlite3, but better-sqlite3 has no compiled addon here');
  // node:sqlite first: nothing to compile, the newer SQLite, and a hook opens it ~2 ms (CPU) faster on Node 24.
  if (node()) return 'node';
  if (better()) return 'better-sqlite3';
  return new NoSqliteError(`Node ${process.version} has no node:sqlite`);
}

/** The library in use (chosen once per process), or why there is none. */
export function sqliteDriver(): { name: DriverName } | { problem: NoSqliteError } {
  chosen ??= choose();
  return chosen instanceof NoSqliteError ? { problem: chosen } : { name: chosen };
}

/**
 * Opens `file` (or an in-memory database holding the image `file`) with the library in use. Throws NoSqliteError when
 * there is none, RefusedFileError when the file, its -wal or its -shm is there but no regular file (SQLite would
 * block on a FIFO for good), else what SQLite threw, its `code` as better-sqlite3 names it (SQLITE_BUSY…).
 */
export function openDatabase(file: string | Buffer, options: OpenOptions = {}): Db {
  const driver = sqliteDriver();
  if ('problem' in driver) throw driver.problem;
  if (typeof file === 'string' && file !== ':memory:')
    for (const f of [file, `${file}-wal`, `${file}-shm`]) refuseSpecialFile(f);
  return driver.name === 'node' ? openNode(file, options) : openBetter(file, options);
}

/** The library in use and its SQLite's version, for people (doctor): "node:sqlite, SQLite 3.53.4". */
export function describeDriver(): string {
  const db = openDatabase(':memory:');
  try {
    const { v } = db.prepare('SELECT sqlite_version() AS v').get() as { v: string };
    const driver = sqliteDriver();
    return `${'name' in driver && driver.name === 'node' ? 'node:sqlite' : 'better-sqlite3'}, SQLite ${v}, Node ${process.version}`;
  } finally {
    db.close();
  }
}
