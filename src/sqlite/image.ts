// A database read where nothing may be written (a read-only state directory): its content copied into memory, so the
// reader runs its usual queries and writes, and nothing it writes outlives it. better-sqlite3 is built without URI
// filenames (SQLITE_USE_URI=0, no SQLITE_OPEN_URI), so `?immutable=1` cannot be asked for; this is what remains.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readFileCapped } from '../util/safe-read.js';
import { migrate, type Migration } from './migrate.js';
import { openDatabase, type Db } from './driver.js';

/** Past this the copy costs a hook more than it is worth; the cache is far smaller in use. */
const IMAGE_MAX_BYTES = 256 * 1024 * 1024;

/**
 * The bytes of `file` as a reader sees them now. A write-ahead log beside it holds commits the file lacks: read
 * through a read-only connection, which SQLite allows only while its -shm is there too (a log without it fails).
 * Without a log the file is whole (the last connection checkpointed it) and is read as it is: SQLite cannot open it
 * read-only in a folder where it may not create the -shm. Throws what fs or SQLite threw (ENOENT: no file).
 */
export function readImage(file: string): Buffer {
  if (!existsSync(`${file}-wal`)) return readFileCapped(file, IMAGE_MAX_BYTES);
  if (!existsSync(`${file}-shm`))
    throw new Error(`its write-ahead log cannot be read without ${path.basename(file)}-shm, which cannot be made here`);
  const db = openDatabase(file, { readonly: true, fileMustExist: true });
  try {
    return db.serialize();
  } finally {
    db.close();
  }
}

/** A database in memory holding `image` (empty when undefined), brought to the end of `migrations`. */
export function openImage(image: Buffer | undefined, migrations: readonly Migration[]): Db {
  const db = openDatabase(image ?? ':memory:');
  try {
    // Before the first read: an image of a WAL file then keeps its log in memory instead of asking for a -shm.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
