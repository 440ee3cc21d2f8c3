// Writes a plan: every target locked and read again, every target checked before the first byte is written, a backup
// before each change, each file replaced atomically (temp file + rename), and earlier files put back if a later one
// fails.
import * as fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../errors/user.js';
import { backupPlace, holdsSecret, type FileChange } from '../../files/file-change.js';
import { lockOf, withWriteLock } from '../../files/write-lock.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { CONFIG_MAX_BYTES, readFailure, readTextCapped } from '../../util/safe-read.js';
import { foldersMade } from './created-folders.js';
import { homeFiles } from '../../home/files.js';

/** The file-system calls apply makes; tests swap one for a failing one. */
export type ApplyIo = Pick<
  typeof fs,
  'writeFileSync' | 'renameSync' | 'chmodSync' | 'unlinkSync' | 'mkdirSync' | 'statSync' | 'accessSync' | 'realpathSync'
>;

export interface AppliedChange {
  file: string;
  action: FileChange['action'];
  backup?: string;
  /** The folders made for the file, outermost first (see created-folders.ts). */
  made?: string[];
}

function timestamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace('.', '');
}

const errCode = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? String(err);

/** Refuses files the user made read-only (no write bit at all, which even root's writes must respect) or cannot write. */
function checkWritable(c: FileChange, io: ApplyIo): void {
  if (c.before !== null) {
    const mode = io.statSync(c.file).mode & 0o777;
    if ((mode & 0o222) === 0)
      throw new UserError(
        `${c.file} is read-only (mode ${mode.toString(8).padStart(4, '0')}); make it writable (chmod u+w) and run again — nothing was changed`,
      );
    try {
      io.accessSync(c.file, fs.constants.W_OK);
    } catch (err) {
      throw new UserError(
        `${c.file} is not writable (${errCode(err)}); fix its permissions and run again — nothing was changed`,
      );
    }
  }
}

/** Symlinked settings (dotfile managers) are written through, not replaced by a plain file. */
function realTarget(file: string, io: ApplyIo): string {
  try {
    return io.realpathSync(file);
  } catch {
    return file;
  }
}

function writeBackup(c: FileChange, now: Date, io: ApplyIo, stateBackups: string | undefined): string {
  const place = backupPlace(c.file, stateBackups !== undefined && holdsSecret(c) ? stateBackups : undefined);
  if (place.dir !== path.dirname(c.file)) io.mkdirSync(place.dir, { recursive: true, mode: 0o700 });
  const base = path.join(place.dir, `${place.prefix}${timestamp(now)}`);
  for (let n = 0; ; n++) {
    const name = n === 0 ? base : `${base}-${n}`;
    try {
      io.writeFileSync(name, c.before ?? '', { mode: c.mode, flag: 'wx' });
      return name;
    } catch (err) {
      if (errCode(err) !== 'EEXIST' || n > 100) throw err;
    }
  }
}

function applyOne(c: FileChange, now: Date, io: ApplyIo, stateBackups: string | undefined): AppliedChange {
  const applied: AppliedChange = { file: c.file, action: c.action };
  const target = realTarget(c.file, io);
  if (c.backup) applied.backup = writeBackup(c, now, io, stateBackups);
  if (c.after === null) io.unlinkSync(target);
  else {
    const made = foldersMade(io.mkdirSync(path.dirname(target), { recursive: true }), path.dirname(target));
    if (made.length > 0) applied.made = made;
    writeFileAtomic(target, c.after, c.mode, io);
  }
  return applied;
}

function undo(c: FileChange, io: ApplyIo): void {
  const target = realTarget(c.file, io);
  if (c.before === null) io.unlinkSync(target);
  else {
    io.mkdirSync(path.dirname(target), { recursive: true });
    writeFileAtomic(target, c.before, c.mode, io);
  }
}

/** The state directory's folder for the backups of files holding a secret. */
export const stateBackupsIn = (home: string): string => homeFiles(home).fileBackups;

/** Where applyPlan keeps `home`'s backups of secret-holding files and its locks: every caller's second argument. */
export const writesIn = (home: string): { stateBackups: string; locks: string } => ({
  stateBackups: stateBackupsIn(home),
  locks: homeFiles(home).fileLocks,
});

/** Runs `fn` holding the lock of each file, taken in one order by every process so that two never wait on each other. */
function withLocks<T>(locks: string, files: readonly string[], fn: () => T): T {
  const held = [...new Map(files.map((f) => [lockOf(locks, f), f])).entries()].sort(([a], [b]) => a.localeCompare(b));
  const take = (k: number): T => {
    const next = held[k];
    return next ? withWriteLock(locks, next[1], () => take(k + 1)) : fn();
  };
  return take(0);
}

/** The file's text now; null when it does not exist. */
function textNow(file: string): string | null {
  try {
    return readTextCapped(file, CONFIG_MAX_BYTES);
  } catch (err) {
    if (errCode(err) === 'ENOENT') return null;
    throw new UserError(`cannot read ${file} (${readFailure(err)}); fix it and run again — nothing was changed`);
  }
}

/**
 * The change as the file now needs it: planned again where another process wrote the file since the plan read it (the
 * caller holds its lock), so what that process wrote stays. A change that cannot be planned again is refused.
 */
function asNow(c: FileChange): FileChange | undefined {
  if (textNow(c.file) === c.before) return c;
  if (!c.replan)
    throw new UserError(`${c.file} changed while taskhooks was about to write it; run again — nothing was changed`);
  const again = c.replan();
  return again && c.target !== undefined ? { ...again, target: c.target } : again;
}

/**
 * Writes `changes`, each file's lock (in `locks`, the state directory's) held from reading it again to the last write,
 * and puts each change the plan holds as it was written (a file written meanwhile planned again), or takes it out where
 * nothing is left to change. Another taskhooks process writes a file only under its lock; a program that does not take
 * it (the agent itself, an editor) can still write between that read and the rename, a window as short as the plan's
 * few writes.
 *
 * `stateBackups`: the state directory's folder for the backups of files holding a secret (0600), which never go beside
 * the file (a project's folder, where git or a teammate would find them).
 */
export function applyPlan(
  changes: FileChange[],
  opts: { locks: string; io?: ApplyIo; now?: Date; stateBackups?: string },
): AppliedChange[] {
  return withLocks(
    opts.locks,
    changes.map((c) => c.file),
    () => {
      const now = changes.map(asNow);
      changes.splice(0, changes.length, ...now.filter((c): c is FileChange => c !== undefined));
      return writeAll(changes, opts);
    },
  );
}

function writeAll(changes: FileChange[], opts: { io?: ApplyIo; now?: Date; stateBackups?: string }): AppliedChange[] {
  const io = opts.io ?? fs;
  const now = opts.now ?? new Date();
  for (const c of changes) checkWritable(c, io);
  const done: AppliedChange[] = [];
  for (const [k, c] of changes.entries()) {
    try {
      done.push(applyOne(c, now, io, opts.stateBackups));
    } catch (err) {
      const failures: string[] = [];
      for (const prev of changes.slice(0, k).reverse()) {
        try {
          undo(prev, io);
        } catch (undoErr) {
          failures.push(`${prev.file} (${errCode(undoErr)})`);
        }
      }
      const restored =
        failures.length === 0
          ? 'nothing was changed'
          : `could not put back ${failures.join(', ')}: restore from its backup`;
      throw new UserError(`cannot write ${c.file} (${errCode(err)}); ${restored}`);
    }
  }
  return done;
}

/**
 * Moves an earlier version's backups of `file` from beside it (where they held the token of their moment, in a
 * project folder) into the state directory's; returns where each went.
 */
export function moveBackupsAside(file: string, stateBackups: string): string[] {
  const beside = backupPlace(file);
  const aside = backupPlace(file, stateBackups);
  let names: string[];
  try {
    names = fs.readdirSync(beside.dir).filter((n) => n.startsWith(beside.prefix));
  } catch {
    return [];
  }
  if (names.length > 0) fs.mkdirSync(aside.dir, { recursive: true, mode: 0o700 });
  return names.map((n) => {
    const to = path.join(aside.dir, `${aside.prefix}${n.slice(beside.prefix.length)}`);
    fs.renameSync(path.join(beside.dir, n), to);
    return to;
  });
}
