// The one way taskhooks opens an SQLite file (the shared cache, the task server's tasks.db): the same pragmas,
// migrations, file modes and damage detection for both.
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { damageOf } from './damage.js';
import { migrate, type Migration } from './migrate.js';
import { nativeBinding } from './native.js';

export type Db = Database.Database;

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
  if (options.privateFile) createPrivateFile(file);
  const timeout = options.busyTimeoutMs ?? 5000;
  const binding = nativeBinding();
  let db: Db;
  try {
    db = new Database(file, binding ? { timeout, nativeBinding: binding } : { timeout });
  } catch (err) {
    throw damageOf(file, err);
  }
  try {
    // WAL is persistent in the file: only a new (or foreign) file needs switching, which takes a write lock.
    if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, options.migrations);
  } catch (err) {
    db.close();
    throw damageOf(file, err);
  }
  if (options.privateFile) restrictModes(file);
  return db;
}
