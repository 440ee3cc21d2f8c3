// One monitor per $TASKHOOKS_HOME: an exclusive pid file that a crashed or killed monitor cannot leave stuck,
// because a lock whose owner is dead (or is some other program that reused the pid) counts as free.
import { readFileSync, unlinkSync } from 'node:fs';
import {
  createLockFile,
  isOwnerlessLockAbandoned,
  isProcessAlive,
  pause,
  readLockFile,
  removeAbandonedLock,
} from '../util/file-lock.js';
import { homeFiles } from './files.js';

export interface LockOwner {
  pid: number;
  startedAt: number;
}

export type LockResult =
  | {
      acquired: true;
      release(): void;
      /** Whether the lock file still names this process (not removed, nor taken by another). */
      holds(): boolean;
    }
  | { acquired: false; owner: LockOwner };

function readOwner(file: string): { owner: LockOwner; raw: string } | undefined {
  const raw = readLockFile(file);
  if (raw === undefined) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<LockOwner>;
    if (typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0)
      return { owner: { pid: v.pid, startedAt: Number(v.startedAt) || 0 }, raw };
  } catch {
    // a half-written or foreign file: treated as stale below
  }
  return { owner: { pid: 0, startedAt: 0 }, raw };
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

/** The monitor holding the lock, if one is really running. Cheap: one file read and a signal-0 probe. */
export function readLiveOwner(home: string): LockOwner | undefined {
  const found = readOwner(homeFiles(home).lock);
  if (!found) return undefined;
  return isProcessAlive(found.owner.pid) && looksLikeMonitor(found.owner.pid) ? found.owner : undefined;
}

/** Takes the lock for this process, taking over a stale one; reports the live owner otherwise. */
export function acquireLock(home: string, now = Date.now()): LockResult {
  const file = homeFiles(home).lock;
  const me: LockOwner = { pid: process.pid, startedAt: now };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createLockFile(file, JSON.stringify(me))) {
      return {
        acquired: true,
        holds: () => readOwner(file)?.owner.pid === process.pid,
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
    const found = readOwner(file);
    if (!found) continue; // removed between our create and our read: try again
    if (found.owner.pid === 0 && !isOwnerlessLockAbandoned(file, now)) {
      // Another starter created it and has not written its pid yet.
      pause(50);
      continue;
    }
    // A pid of another user's process counts as alive, and the start is refused: a monitor started with sudo on this
    // home is still a monitor of it.
    if (found.owner.pid !== process.pid && isProcessAlive(found.owner.pid) && looksLikeMonitor(found.owner.pid)) {
      return { acquired: false, owner: found.owner };
    }
    removeAbandonedLock(file, found.raw);
  }
  const owner = readOwner(file)?.owner;
  return { acquired: false, owner: owner ?? { pid: 0, startedAt: 0 } };
}
