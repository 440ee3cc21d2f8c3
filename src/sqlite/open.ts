// The one way taskhooks opens an SQLite file (the shared cache, the task server's tasks.db): the same pragmas,
// migrations, file modes and damage detection for both.
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import { quickCheck } from './copy.js';
import { DamagedDatabaseError, damageOf } from './damage.js';
import { migrate, type BeforeMigrate, type Migration } from './migrate.js';
import { lostWalFrames, WAL_FOLD_BYTES } from './wal.js';
import { openDatabase, sqliteDriver, type Db } from './driver.js';

export type { Db };

export interface OpenSqliteOptions {
  /** The file's forward-only migrations; it is brought to the last one. */
  migrations: readonly Migration[];
  /** How long a statement waits for another connection's lock before failing with SQLITE_BUSY; default 5000. */
  busyTimeoutMs?: number;
  /**
   * The file holds secrets or people's work: create it 0600 (missing folders 0700) before SQLite does, so it is
   * never readable by others, and tighten an existing one and its -wal/-shm to 0600.
   */
  privateFile?: boolean;
  /**
   * `PRAGMA synchronous`; default NORMAL. With WAL, NORMAL never loses a commit to a killed process (the OS has it)
   * but may lose the last ones to a power cut; FULL syncs the log at every commit and loses none.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /**
   * Check the file before it is used: a write-ahead log deleted while it held commits (which SQLite would silently
   * forget), then `PRAGMA quick_check`. A fault is thrown as DamagedDatabaseError like any other damage.
   */
  verify?: boolean;
  /** Runs before the file, already at version `from` (≥ 1), is migrated further: e.g. to keep a copy first. */
  beforeMigrate?: BeforeMigrate;
  /**
   * The most this connection's page cache holds, in KiB (`PRAGMA cache_size = -N`). better-sqlite3 builds SQLite with
   * 16 MiB; a long-lived process that reads each page rarely keeps that much resident for nothing.
   */
  pageCacheKiB?: number;
  /**
   * Whether a commit folds the write-ahead log into the file once it holds 1,000 pages (SQLite's default, true). A
   * long-lived server turns it off: the fold runs inside the commit, on its only thread, and copies whatever others
   * left in the log (hundreds of MB after a big import) while every request waits. It folds elsewhere instead
   * (src/sqlite/checkpoints.ts).
   */
  autoCheckpoint?: boolean;
}

function createPrivateFile(file: string): void {
  // An existing path is left to SQLite: a file is tightened after opening, anything else is refused as damage.
  if (statSync(file, { throwIfNoEntry: false })) return;
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
}

function restrictModes(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((statSync(f).mode & 0o077) !== 0) chmodSync(f, 0o600);
    } catch {
      // -wal/-shm appear only once SQLite needs them; SQLite gives them the main file's mode.
    }
  }
}

/**
 * Opens `file` (created when missing) in WAL mode with foreign keys on, migrated to the end of `migrations`.
 * Throws DamagedDatabaseError, leaving the file untouched, when it is damaged, not a database or not a file;
 * any other failure as it came.
 */
export function openSqlite(file: string, options: OpenSqliteOptions): Db {
  if (options.verify) {
    const lost = lostWalFrames(file);
    if (lost > 0)
      throw new DamagedDatabaseError(
        file,
        'lost-wal',
        new Error(
          `its write-ahead log (${path.basename(file)}-wal) was deleted while it held ${lost} committed page(s)`,
        ),
      );
  }
  // No library at all: said before anything is made at the path.
  const driver = sqliteDriver();
  if ('problem' in driver) throw driver.problem;
  if (options.privateFile) createPrivateFile(file);
  const timeout = options.busyTimeoutMs ?? 5000;
  let db: Db;
  try {
    db = openDatabase(file, { timeout });
  } catch (err) {
    throw damageOf(file, err);
  }
  try {
    // WAL is persistent in the file: only a new (or foreign) file needs switching, which takes a write lock.
    if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
    if (options.autoCheckpoint === false) db.pragma('wal_autocheckpoint = 0');
    // A log folded in full is started over by the next commit, which keeps the file's size unless told to cut it: a
    // large log emptied would still look due for a fold at every write (src/sqlite/checkpoints.ts looks at its size).
    db.pragma(`journal_size_limit = ${WAL_FOLD_BYTES}`);
    if (options.pageCacheKiB !== undefined) db.pragma(`cache_size = -${Math.max(1, Math.round(options.pageCacheKiB))}`);
    if (options.verify) {
      const problem = quickCheck(db);
      if (problem) throw new DamagedDatabaseError(file, 'corrupt', new Error(`quick_check found: ${problem}`));
    }
    migrate(db, options.migrations, options.beforeMigrate);
  } catch (err) {
    db.close();
    throw err instanceof DamagedDatabaseError ? err : damageOf(file, err);
  }
  if (options.privateFile) restrictModes(file);
  return db;
}
