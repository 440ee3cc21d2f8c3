// An exclusive lock held as a file naming its owner, for work two processes must never do at once. A lock whose owner
// died counts as free, so a process killed while holding one never blocks the next. `withFileLock` waits for short
// work; the monitor's pid file (home/lock.ts) is built from the same parts.
import { closeSync, openSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { readTextCapped, SMALL_MAX_BYTES } from './safe-read.js';

/** Whether `pid` is a live process (another user's counts as alive: it cannot be ours to judge). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Blocks the (synchronous) caller for `ms`. */
export const pause = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** A lock file just created has no owner in it for a moment: only an older one without an owner is abandoned. */
const EMPTY_GRACE_MS = 2000;

/** Creates the lock `file` (0600) holding `content`; false when it exists already. */
export function createLockFile(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** What the lock `file` holds; undefined when there is none. */
export function readLockFile(file: string): string | undefined {
  try {
    return readTextCapped(file, SMALL_MAX_BYTES);
  } catch {
    return undefined;
  }
}

/** Whether the lock `file`, which names no owner, is past the moment its creator needs to write itself in. */
export function isOwnerlessLockAbandoned(file: string, now = Date.now()): boolean {
  try {
    return now - statSync(file).mtimeMs > EMPTY_GRACE_MS;
  } catch {
    return false;
  }
}

/** Removes the abandoned lock `file` only while it still holds `judged`: never a lock another process has just taken. */
export function removeAbandonedLock(file: string, judged: string): void {
  if (readLockFile(file) !== judged) return;
  try {
    unlinkSync(file);
  } catch (err) {
    // ENOENT: another waiter removed it first.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * Replaces the abandoned lock `file`, while it still holds `judged`, with `content`: true when this process holds it
 * now. Only the process that makes `file.takeover` replaces it: two removing it at once, one could remove the lock the
 * other had just made, and both would go on holding it.
 */
export function takeOverAbandonedLock(file: string, judged: string, content: string): boolean {
  const takeover = `${file}.takeover`;
  if (!createLockFile(takeover, content)) {
    const left = readLockFile(takeover);
    // A takeover is over in microseconds: one past the grace was left by a process that died in it.
    if (left === undefined || !isOwnerlessLockAbandoned(takeover)) return false;
    removeAbandonedLock(takeover, left);
    if (!createLockFile(takeover, content)) return false;
  }
  try {
    removeAbandonedLock(file, judged);
    return createLockFile(file, content);
  } finally {
    rmSync(takeover, { force: true });
  }
}

function ownerOf(file: string): { raw: string; pid: number } | undefined {
  const raw = readLockFile(file);
  return raw === undefined ? undefined : { raw, pid: Number(raw.trim()) };
}

/**
 * Runs `fn` holding the lock `file`, waiting up to `waitMs` for another holder to finish (the caller is synchronous:
 * the wait blocks). Throws, naming the holder, when it does not finish in time: `held`'s error where given.
 */
export function withFileLock<T>(
  file: string,
  waitMs: number,
  fn: () => T,
  held?: (pid: number | undefined) => Error,
): T {
  const deadline = Date.now() + waitMs;
  const mine = String(process.pid);
  for (;;) {
    let taken = createLockFile(file, mine);
    const owner = taken ? undefined : ownerOf(file);
    if (owner && (owner.pid > 0 ? !isProcessAlive(owner.pid) : isOwnerlessLockAbandoned(file)))
      taken = takeOverAbandonedLock(file, owner.raw, mine);
    if (taken) {
      try {
        return fn();
      } finally {
        if (ownerOf(file)?.pid === process.pid) unlinkSync(file);
      }
    }
    if (Date.now() > deadline) {
      const pid = owner?.pid || undefined;
      throw (
        held?.(pid) ??
        new Error(`${file} is held by another process${pid ? ` (pid ${pid})` : ''}; try again in a moment`)
      );
    }
    pause(50);
  }
}
