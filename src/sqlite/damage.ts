// Telling a damaged database from other failures, and moving one aside. What to do about the damage (recreate,
// refuse, restore a copy) is the caller's decision.
import { existsSync, linkSync, renameSync, statSync } from 'node:fs';
import type { Logger } from '../log/logger.js';

const CORRUPT_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_VTAB', 'SQLITE_IOERR_SHORT_READ']);

/**
 * 'corrupt': SQLite reads it as damaged or not a database, or its own check finds faults; 'not-a-file': e.g. a
 * directory sits at the path; 'lost-wal': its write-ahead log was deleted while it still held committed changes.
 */
export type Damage = 'corrupt' | 'not-a-file' | 'lost-wal';

/** `file` cannot be used as a database; it has been left exactly as it was found. */
export class DamagedDatabaseError extends Error {
  constructor(
    readonly file: string,
    readonly damage: Damage,
    /** What was found, in SQLite's words where it said something ("file is not a database"). */
    override readonly cause: Error,
  ) {
    super(`${file}: ${cause.message}`, { cause });
    this.name = 'DamagedDatabaseError';
  }
}

function codeOf(err: unknown): unknown {
  return (err as { code?: unknown } | null)?.code;
}

/** Whether `err`, thrown by a statement, says the file under it is damaged. */
export function isCorruption(err: unknown): boolean {
  const code = codeOf(err);
  return typeof code === 'string' && CORRUPT_CODES.has(code);
}

function isNotAFile(file: string): boolean {
  try {
    return !statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `err`, thrown while opening `file`, as a DamagedDatabaseError when it means the file is unusable; else `err` itself. */
export function damageOf(file: string, err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  if (isCorruption(err)) return new DamagedDatabaseError(file, 'corrupt', err);
  // SQLite says only that it cannot open the path; a non-file there is the one case that will not heal by itself.
  if (codeOf(err) === 'SQLITE_CANTOPEN' && isNotAFile(file)) return new DamagedDatabaseError(file, 'not-a-file', err);
  return err;
}

/** UTC to the second, readable and sortable: 20261122T102528Z. */
export function timestamp(at = new Date()): string {
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

export interface QuarantineOptions {
  /** The aside name is `<file>.<label>-<time>-<pid>`; default 'corrupt'. */
  label?: string;
  /** A complete database file (in the same folder) put in the file's place, so the path never goes missing. */
  replacement?: string;
  log?: Logger;
}

function moveAside(from: string, to: string, log: Logger | undefined): void {
  if (!existsSync(from)) return;
  try {
    renameSync(from, to);
  } catch (err) {
    log?.warn({ err, file: from }, 'could not move a database file aside');
    throw err;
  }
}

/**
 * Moves a database and its -wal/-shm aside to `<file>.<label>-<time>-<pid>` so it can be inspected or salvaged;
 * never deletes anything. Returns the new name of the main file.
 *
 * The order keeps a process opening the path meanwhile from pairing one file's write-ahead log with another: the log
 * goes first, while the -shm (whose header still counts the log's frames) keeps an opener seeing a lost log; then the
 * main file, which a `replacement` takes the place of in one rename (the old one kept by a hard link first); the -shm
 * last, which SQLite rebuilds for a file with no log.
 */
export function quarantine(file: string, options: QuarantineOptions = {}): string {
  const { log, replacement } = options;
  const aside = `${file}.${options.label ?? 'corrupt'}-${timestamp()}-${process.pid}`;
  moveAside(`${file}-wal`, `${aside}-wal`, log);
  if (replacement === undefined) moveAside(file, aside, log);
  else {
    let linked = false;
    try {
      linkSync(file, aside);
      linked = true;
    } catch (err) {
      // No hard links here (a directory at the path, a filesystem without them): the path is empty for one rename.
      log?.debug({ err, file }, 'could not link the database aside; moving it');
    }
    if (!linked) moveAside(file, aside, log);
    renameSync(replacement, file);
  }
  moveAside(`${file}-shm`, `${aside}-shm`, log);
  return aside;
}
