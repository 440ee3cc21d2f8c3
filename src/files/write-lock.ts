// The lock a rewrite of one file holds from reading it to renaming the new text over, so that two taskhooks processes
// never both build on the same old text: install's and uninstall's user files, the state directory's records.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors/user.js';
import { withFileLock } from '../util/file-lock.js';
import { resolveTarget } from './real-path.js';

/** How long a rewrite waits for another taskhooks process rewriting the same file, which holds it for a few writes. */
const WAIT_MS = 10_000;

/**
 * The lock of `file` in `locks` (the state directory's folder of them): named by the file and a hash of its real path,
 * so the user's own folders never collect one, and two names of one file (a link) share it.
 */
export function lockOf(locks: string, file: string): string {
  const target = resolveTarget(file);
  const key = process.platform === 'win32' || process.platform === 'darwin' ? target.toLowerCase() : target;
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return path.join(locks, `${path.basename(target)}.${hash}.lock`);
}

/**
 * Runs `fn`, which reads and rewrites `file`, holding its lock in `locks`; a lock another process holds past the wait
 * is refused in one line naming the file and the fix, and one whose process died is taken over.
 */
export function withWriteLock<T>(locks: string, file: string, fn: () => T): T {
  const lock = lockOf(locks, file);
  mkdirSync(locks, { recursive: true, mode: 0o700 });
  return withFileLock(
    lock,
    WAIT_MS,
    fn,
    (pid) =>
      new UserError(
        `${file} is being written by another taskhooks process${pid ? ` (pid ${pid})` : ''}: run again once it has finished, or delete ${lock} if none is running`,
      ),
  );
}
