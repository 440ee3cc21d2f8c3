// Telling a damaged database from other failures, and moving one aside. What to do about the damage (recreate,
// refuse, restore a copy) is the caller's decision.
import { existsSync, renameSync, statSync } from 'node:fs';
import type { Logger } from '../log/logger.js';

const CORRUPT_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_VTAB', 'SQLITE_IOERR_SHORT_READ']);

export type Damage = 'corrupt' | 'not-a-file';

/** `file` cannot be used as a database; it has been left exactly as it was found. */
export class DamagedDatabaseError extends Error {
  constructor(
    readonly file: string,
    /** 'corrupt': SQLite reads it as damaged or not a database; 'not-a-file': e.g. a directory sits at the path. */
    readonly damage: Damage,
    /** SQLite's own error, whose message says what it found ("file is not a database"). */
    override readonly cause: Error,
  ) {
    super(`${file}: ${cause.message}`, { cause });
    this.name = 'DamagedDatabaseError';
  }
}

function codeOf(err: unknown): unknown {
  return (err as { code?: unknown } | null)?.code;
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
  const code = codeOf(err);
  if (typeof code === 'string' && CORRUPT_CODES.has(code)) return new DamagedDatabaseError(file, 'corrupt', err);
  // SQLite says only that it cannot open the path; a non-file there is the one case that will not heal by itself.
  if (code === 'SQLITE_CANTOPEN' && isNotAFile(file)) return new DamagedDatabaseError(file, 'not-a-file', err);
  return err;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * Moves a damaged database and its -wal/-shm aside to `<file>.corrupt-<time>-<pid>` so it can be inspected or
 * salvaged; never deletes anything. Returns the new name of the main file.
 */
export function quarantine(file: string, log?: Logger): string {
  const aside = `${file}.corrupt-${timestamp()}-${process.pid}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(file + suffix)) {
      try {
        renameSync(file + suffix, aside + suffix);
      } catch (err) {
        log?.warn({ err, file: file + suffix }, 'could not move damaged database file aside');
      }
    }
  }
  return aside;
}
