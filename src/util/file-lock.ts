// An exclusive lock held as a file naming its owner's pid, for short work two processes must never do at once. A lock
// whose owner died counts as free, so a process killed while holding one never blocks the next.
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';

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

const sleep = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** A lock file just created has no pid in it for a moment: only an older empty one is abandoned. */
const EMPTY_GRACE_MS = 2000;

function ownerOf(file: string): { raw: string; pid: number } | undefined {
  try {
    const raw = readFileSync(file, 'utf8');
    return { raw, pid: Number(raw.trim()) };
  } catch {
    return undefined;
  }
}

function isAbandoned(file: string, owner: { pid: number }): boolean {
  if (owner.pid > 0) return !isProcessAlive(owner.pid);
  try {
    return Date.now() - statSync(file).mtimeMs > EMPTY_GRACE_MS;
  } catch {
    return false;
  }
}

/**
 * Runs `fn` holding the lock `file`, waiting up to `waitMs` for another holder to finish (the caller is synchronous:
 * the wait blocks). Throws, naming the holder, when it does not finish in time.
 */
export function withFileLock<T>(file: string, waitMs: number, fn: () => T): T {
  const deadline = Date.now() + waitMs;
  for (;;) {
    let fd: number | undefined;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (fd !== undefined) {
      try {
        writeSync(fd, String(process.pid));
      } finally {
        closeSync(fd);
      }
      try {
        return fn();
      } finally {
        if (ownerOf(file)?.pid === process.pid) unlinkSync(file);
      }
    }
    const owner = ownerOf(file);
    if (owner && isAbandoned(file, owner)) {
      // Removed only while it still says what was judged: never a lock another process has just taken.
      if (ownerOf(file)?.raw === owner.raw) {
        try {
          unlinkSync(file);
        } catch {
          // another waiter removed it first
        }
      }
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${file} is held by another process${owner?.pid ? ` (pid ${owner.pid})` : ''}; try again in a moment`);
    sleep(50);
  }
}
