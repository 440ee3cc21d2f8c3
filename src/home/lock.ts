// One monitor per $TASKHOOKS_HOME: an exclusive pid file that a crashed or killed monitor cannot leave stuck,
// because a lock whose owner is dead (or is some other program that reused the pid) counts as free.
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { homeFiles } from './files.js';

export interface LockOwner {
  pid: number;
  startedAt: number;
}

export type LockResult = { acquired: true; release(): void } | { acquired: false; owner: LockOwner };

function readOwner(file: string): { owner: LockOwner; raw: string } | undefined {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const v = JSON.parse(raw) as Partial<LockOwner>;
    if (typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0) return { owner: { pid: v.pid, startedAt: Number(v.startedAt) || 0 }, raw };
  } catch {
    // a half-written or foreign file: treated as stale below
  }
  return { owner: { pid: 0, startedAt: 0 }, raw };
}

function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    // ESRCH: gone. EPERM: another user's process, which cannot be a monitor of this 0700 home.
    return false;
  }
}

/**
 * Whether `pid` runs a taskhooks monitor (`… cli.js monitor run` or `… cli.js start`). Where /proc is missing
 * (macOS) a live pid is trusted: pid reuse within one lock's lifetime is rare there and the cost is a refused start.
 */
function looksLikeMonitor(pid: number): boolean {
  let args: string[];
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return true;
  }
  const i = args.indexOf('monitor');
  return (i >= 0 && args[i + 1] === 'run') || args.includes('start');
}

function isFresh(file: string, now: number): boolean {
  try {
    return now - statSync(file).mtimeMs < 2000;
  } catch {
    return false;
  }
}

/** The monitor holding the lock, if one is really running. Cheap: one file read and a signal-0 probe. */
export function readLiveOwner(home: string): LockOwner | undefined {
  const found = readOwner(homeFiles(home).lock);
  if (!found) return undefined;
  return isAlive(found.owner.pid) && looksLikeMonitor(found.owner.pid) ? found.owner : undefined;
}

/** Takes the lock for this process, taking over a stale one; reports the live owner otherwise. */
export function acquireLock(home: string, now = Date.now()): LockResult {
  const file = homeFiles(home).lock;
  const me: LockOwner = { pid: process.pid, startedAt: now };
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const found = readOwner(file);
      if (!found) continue; // removed between our open and our read: try again
      if (found.owner.pid === 0 && isFresh(file, now)) {
        // Another starter created it and has not written its pid yet.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
        continue;
      }
      if (found.owner.pid !== process.pid && isAlive(found.owner.pid) && looksLikeMonitor(found.owner.pid)) {
        return { acquired: false, owner: found.owner };
      }
      // Stale. Remove it only if it still holds what we judged, so we never delete a lock just taken by another starter.
      if (readOwner(file)?.raw === found.raw) {
        try {
          unlinkSync(file);
        } catch {
          // another starter removed it first: the next attempt decides
        }
      }
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(me));
    } finally {
      closeSync(fd);
    }
    return {
      acquired: true,
      release: () => {
        if (readOwner(file)?.owner.pid === process.pid) {
          try {
            unlinkSync(file);
          } catch {
            // already gone
          }
        }
      },
    };
  }
  const owner = readOwner(file)?.owner;
  return { acquired: false, owner: owner ?? { pid: 0, startedAt: 0 } };
}
