// Restoring the task store by hand (`taskhooks tasks restore`): a backup, or any copy of a task store, checked and put
// in the store's place; the store that was there is moved aside, never deleted.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { homeFiles } from '../../home/files.js';
import type { Logger } from '../../log/logger.js';
import { copyNow, openDatabase, openSqlite, quarantine, quickCheck, readCopy, type Db } from '../../sqlite/index.js';
import { backupGeneration, listBackups } from './backups.js';
import { stagedFile, withRestoreLock } from './recover.js';

export interface RestoreResult {
  /** Where the store that was replaced now is; undefined when there was none. */
  movedTo: string | undefined;
  tasksFile: string;
}

/**
 * Holds writers off the store while the files change places: a writer that waited then finds the store replaced
 * under it and writes to the new one (see the connection's write). Undefined when the store cannot be opened (it is
 * missing or damaged): then nobody can write to it anyway.
 */
function holdWriters(file: string): Db | undefined {
  if (!existsSync(file)) return undefined;
  let db: Db | undefined;
  try {
    db = openSqlite(file, { migrations: [] });
    db.exec('BEGIN IMMEDIATE');
    return db;
  } catch {
    db?.close();
    return undefined;
  }
}

/**
 * Moves the generation of the copy at `staged` past those of `home`'s backups and of the store it replaces: backups
 * are ordered by generation, and the store a person chose to put back is newer than the history it replaced. A copy
 * from before stores counted generations has none to move.
 */
function countAsNewest(staged: string, home: string): void {
  const seen = [
    backupGeneration(homeFiles(home).tasks),
    ...listBackups(homeFiles(home).backups).map((b) => b.generation),
  ];
  const past = Math.max(0, ...seen.filter((g) => g !== undefined)) + 1;
  const db = openDatabase(staged, { fileMustExist: true });
  try {
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'store_meta'").get())
      db.prepare("UPDATE store_meta SET value = MAX(value, ?) WHERE key = 'generation'").run(past);
  } finally {
    db.close();
  }
}

/** Puts the database file `source` in place of `home`'s task store. Throws, changing nothing, when `source` is no good. */
export function restoreStore(home: string, source: string, log?: Logger): RestoreResult {
  const file = homeFiles(home).tasks;
  const staged = stagedFile(file);
  try {
    // Through SQLite, not as a file: a store moved aside (by a restore, or as damaged) can hold its last commits in a
    // -wal beside it.
    readCopy(source, (db) => {
      const problem = quickCheck(db);
      if (problem) throw new Error(`it failed its check: ${problem}`);
      return copyNow(db, staged);
    });
    countAsNewest(staged, home);
    return withRestoreLock(file, () => {
      const holder = holdWriters(file);
      try {
        if (!existsSync(file)) {
          renameSync(staged, file);
          return { movedTo: undefined, tasksFile: file };
        }
        const movedTo = quarantine(file, { label: 'before-restore', replacement: staged, ...(log ? { log } : {}) });
        log?.warn({ source, movedTo }, 'task store restored by hand');
        return { movedTo, tasksFile: file };
      } finally {
        if (holder) {
          holder.exec('ROLLBACK');
          // SQLite sees its file was moved and leaves the -wal/-shm at the store's path (now the new store's) alone.
          holder.close();
        }
      }
    });
  } finally {
    rmSync(staged, { force: true });
  }
}
