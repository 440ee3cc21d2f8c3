// One monitor per $TASKHOOKS_HOME: an exclusive pid file that a crashed or killed monitor cannot leave stuck,
// because a lock whose owner is dead (or is some other program that reused the pid) counts as free. The lock records
// when its process started, so a later process given the same pid is told apart from the monitor that wrote it.
import { readFileSync, unlinkSync } from 'node:fs';
import {
  createLockFile,
  isOwnerlessLockAbandoned,
  isProcessAlive,
  pause,
  readLockFile,
  removeAbandonedLock,
  takeOverAbandonedLock,
} from '../util/file-lock.js';
import { homeFiles } from './files.js';

export interface LockOwner {
  pid: number;
  startedAt: number;
  /** Which run of `pid` took the lock (processSince); absent where the OS cannot tell, and in older monitors' locks. */
  since?: string | undefined;
}

/**
 * Whether the lock's process is the monitor that took it: `monitor` when its start matches the lock's, `other` when it
 * does not (or it is dead), `unknown` where the OS does not say (no /proc: macOS, Windows; another user's hidden process).
 * Only a `monitor` is ever signalled without the monitor proving itself over its endpoint (src/home/monitor-proof.ts).
 */
export type LockIdentity = 'monitor' | 'other' | 'unknown';

/** A live lock owner and how sure that it is the monitor. */
export type LiveOwner = LockOwner & { identity: Exclude<LockIdentity, 'other'> };

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
    // A `since` that is not this OS's string for a process start matches no process: the lock is then stale.
    if (typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0)
      return { owner: { pid: v.pid, startedAt: Number(v.startedAt) || 0, since: v.since }, raw };
  } catch {
    // a half-written or foreign file: treated as stale below
  }
  return { owner: { pid: 0, startedAt: 0 }, raw };
}

/** This boot's id: a process start counted in ticks since boot means nothing across a reboot (power loss). */
let bootId: string | undefined;

/** The fields of /proc/<pid>/stat after the command name (which may hold a parenthesis); undefined without /proc. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Which run of a process its stat fields name: the boot and the clock tick it started at (field 22). */
function sinceOf(fields: string[] | undefined): string | undefined {
  try {
    bootId ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
  return fields ? `${bootId}/${fields[19]}` : undefined;
}

/**
 * The state letter of /proc/<pid>/stat (R, S, T, Z, …). Undefined where /proc is missing (macOS) or the process is
 * gone.
 */
export const processState = (pid: number): string | undefined => statFields(pid)?.[0] || undefined;

/** Which run of `pid` this is, as Linux counts it. Undefined where /proc is missing or hides it. */
export const processSince = (pid: number): string | undefined => sinceOf(statFields(pid));

/**
 * Whether the lock's `owner` is still the process that took it: its pid alive, and started when the lock says. A lock
 * of a build before locks said when is `unknown` while its process's command line is a monitor's (`… monitor run`,
 * `… cli.js start`; a mere `start` is any `npm start`), as is a pid /proc hides: trusted only once it proves itself.
 */
export function lockIdentity(owner: LockOwner): LockIdentity {
  if (!isProcessAlive(owner.pid)) return 'other';
  const fields = statFields(owner.pid);
  // Killed but not yet reaped by its parent, a process still answers signal 0 and keeps its start: it is gone.
  if (fields?.[0] === 'Z' || fields?.[0] === 'X') return 'other';
  if (owner.since === undefined) {
    try {
      const line = readFileSync(`/proc/${owner.pid}/cmdline`, 'latin1');
      if (!/\0monitor\0run(\0|$)|(cli\.js|taskhooks)\0start(\0|$)/.test(line)) return 'other';
    } catch {
      // no /proc (macOS, Windows) or a hidden pid: its endpoint's proof decides
    }
    return 'unknown';
  }
  const now = sinceOf(fields);
  return !now ? 'unknown' : now === owner.since ? 'monitor' : 'other';
}

/**
 * The monitor holding the lock, if one is really running. Cheap: a few small file reads and a signal-0 probe. One the
 * OS cannot vouch for (`unknown`) is returned too: what it publishes is trusted only once it proves itself.
 */
export function readLiveOwner(home: string): LiveOwner | undefined {
  const found = readOwner(homeFiles(home).lock);
  if (!found) return undefined;
  const identity = lockIdentity(found.owner);
  return identity === 'other' ? undefined : { ...found.owner, identity };
}

/** The monitors that proved themselves over their endpoint in this process (monitor-probe.ts). */
const proven = new Set<number>();

export const recordProof = (pid: number): void => void proven.add(pid);

/**
 * Whether what `owner` publishes may be sent a token: the OS vouches for it, it proved itself in this process, or it
 * is this process. Where none holds, the token stays here and the caller does without the monitor.
 */
export const vouchedFor = (owner: LiveOwner): boolean =>
  owner.identity === 'monitor' || proven.has(owner.pid) || owner.pid === process.pid;

/**
 * Removes the lock while it still names `pid`, a process found not to be this home's monitor (its endpoint answered
 * without proving itself): the process itself is left alone.
 */
export function dropStaleLock(home: string, pid: number): void {
  const file = homeFiles(home).lock;
  const found = readOwner(file);
  if (found?.owner.pid === pid) removeAbandonedLock(file, found.raw);
}

/** Takes the lock for this process, taking over a stale one; reports the live owner otherwise. */
export function acquireLock(home: string, now = Date.now()): LockResult {
  const file = homeFiles(home).lock;
  const since = processSince(process.pid);
  const me: LockOwner = { pid: process.pid, startedAt: now, since };
  const held: LockResult = {
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
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createLockFile(file, JSON.stringify(me))) return held;
    const found = readOwner(file);
    if (!found) continue; // removed between our create and our read: try again
    if (found.owner.pid === 0 && !isOwnerlessLockAbandoned(file, now)) {
      // Another starter created it and has not written its pid yet.
      pause(50);
      continue;
    }
    // A pid of another user's process the OS cannot vouch for is `unknown`, and the start is refused: a monitor started
    // with sudo on this home is still a monitor of it. `monitor start` drops a lock whose owner is proven a stranger.
    if (found.owner.pid !== process.pid && lockIdentity(found.owner) !== 'other') {
      return { acquired: false, owner: found.owner };
    }
    if (takeOverAbandonedLock(file, found.raw, JSON.stringify(me))) return held;
    // Another starter is taking it over this moment.
    pause(10);
  }
  const owner = readOwner(file)?.owner;
  return { acquired: false, owner: owner ?? { pid: 0, startedAt: 0 } };
}
