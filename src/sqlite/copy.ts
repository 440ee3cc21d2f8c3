// Consistent copies of a live database, each checked before it counts: written under a temporary name, verified with
// SQLite's own check, made durable, then renamed into place, so a copy at its final name is always a good one.
import {
  chmodSync,
  closeSync,
  copyFileSync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from './driver.js';

/** Pages copied per step of an online backup: 4 MB at the default page size, a few ms of the source's time. */
const PAGES_PER_STEP = 1024;
/** A step count that means "everything left, at once": sqlite3_backup_step treats 0 as copying nothing. */
const ALL_PAGES = 0x7fffffff;

export interface CopyResult {
  file: string;
  bytes: number;
  ms: number;
}

/** Problems `PRAGMA quick_check` finds in an open database, or undefined when it finds none. */
export function quickCheck(db: Db): string | undefined {
  const rows = db.pragma('quick_check(20)') as Array<{ quick_check: string }>;
  const found = rows.map((r) => r.quick_check);
  return found.length === 1 && found[0] === 'ok' ? undefined : found.join('; ');
}

function openPlain(file: string, readonly: boolean): Db {
  return openDatabase(file, { fileMustExist: true, readonly });
}

/** Runs `fn` on the database file `file` opened read-only, with what a -wal beside it holds. */
export function readCopy<T>(file: string, fn: (db: Db) => T): T {
  const db = openPlain(file, true);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/**
 * Makes a file's content durable. Windows flushes only a handle open for writing (FlushFileBuffers; a read-only one
 * fails with EPERM), so there the file is opened r+; elsewhere r does, and needs no write permission.
 */
function fsyncFile(file: string): void {
  const fd = openSync(file, process.platform === 'win32' ? 'r+' : 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Makes a rename in `dir` durable. Windows cannot flush a folder (libuv's fsync of one fails there, and NTFS journals
 * the rename itself), so there this does nothing.
 */
function fsyncFolder(dir: string): void {
  if (process.platform !== 'win32') fsyncFile(dir);
}

/**
 * Turns the fresh copy at `temp` into a standalone file (rollback journal, so it is one file with no -wal), checks it,
 * makes it and its name durable, and renames it to `dest` (0600). Throws, removing `temp`, when the copy is no good.
 */
function settle(temp: string, dest: string, started: number): CopyResult {
  try {
    const db = openPlain(temp, false);
    try {
      db.pragma('journal_mode = DELETE');
      const problem = quickCheck(db);
      if (problem) throw new Error(`the copy failed its check: ${problem}`);
    } finally {
      db.close();
    }
    chmodSync(temp, 0o600);
    fsyncFile(temp);
    renameSync(temp, dest);
    fsyncFolder(path.dirname(dest));
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  return { file: dest, bytes: statSync(dest).size, ms: Math.round(performance.now() - started) };
}

const tempFor = (dest: string): string => `${dest}.tmp-${process.pid}`;

/**
 * Copies `db` to `dest` with SQLite's online backup API, a step at a time on the event loop: a read transaction per
 * step, which in WAL mode never blocks a writer. A write through another connection restarts the copy; after one
 * restart the rest is copied in a single step so a busy file cannot starve it.
 */
export async function backupOnline(db: Db, dest: string): Promise<CopyResult> {
  const started = performance.now();
  const temp = tempFor(dest);
  rmSync(temp, { force: true });
  let lastRemaining = Infinity;
  try {
    await db.backup(temp, {
      progress: ({ remainingPages }) => {
        const restarted = remainingPages > lastRemaining;
        lastRemaining = remainingPages;
        return restarted ? ALL_PAGES : PAGES_PER_STEP;
      },
    });
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  return settle(temp, dest, started);
}

/**
 * Copies `db` to `dest` at once, for a caller that cannot wait on the event loop: the pages as the backup API would
 * copy them (sqlite3_serialize, one read transaction, which in WAL mode never blocks a writer), held in memory for the
 * moment it takes; a task store is a few MB. (`VACUUM INTO` would stream, but renumbers the rows' ids.)
 */
export function copyNow(db: Db, dest: string): CopyResult {
  const started = performance.now();
  const temp = tempFor(dest);
  writeFileSync(temp, db.serialize(), { mode: 0o600 });
  return settle(temp, dest, started);
}

/** Copies the database file `from` (a copy made above) to `dest` in the same way, checked again on arrival. */
export function copyFile(from: string, dest: string): CopyResult {
  const started = performance.now();
  const temp = tempFor(dest);
  copyFileSync(from, temp);
  return settle(temp, dest, started);
}
