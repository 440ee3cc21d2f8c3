// After a reboot or a crash several sessions' hooks find no monitor at once. The first to claim the start answers
// itself, and so starts the monitor; the others wait for that monitor rather than each loading the hooks' code beside
// it on a machine already busy. A claim is held while its process runs (not another run of its pid), and for a few
// seconds after: its claimant may answer and exit before the monitor it started has loaded far enough to take its lock.
import { rmSync } from 'node:fs';
import { createLockFile, isOwnerlessLockAbandoned, readLockFile, takeOverAbandonedLock } from '../util/file-lock.js';
import { homeFiles } from './files.js';
import { lockIdentity, processSince } from './lock.js';

/** How long a claim holds after it was made, its claimant gone or not; hooks/monitor-wait.pl holds it as long. */
const CLAIM_HOLD_MS = 5000;

/**
 * The process the claim in `file` (read as `raw`) names while it still runs; undefined for a claim that is nobody's.
 * One not yet written (its claimant between creating and writing it), or made moments ago, is held: `pending`.
 */
function claimant(file: string, raw: string): number | 'pending' | undefined {
  try {
    const { pid, since, at } = JSON.parse(raw) as { pid?: unknown; since?: unknown; at?: unknown };
    if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
    const owner = { pid, startedAt: 0, since: typeof since === 'string' ? since : undefined };
    if (lockIdentity(owner) !== 'other') return pid;
    return typeof at === 'number' && Math.abs(Date.now() - at) < CLAIM_HOLD_MS ? 'pending' : undefined;
  } catch {
    return raw === '' && !isOwnerlessLockAbandoned(file) ? 'pending' : undefined;
  }
}

/** Whether another process claimed the monitor's start and still runs. */
export function startClaimedElsewhere(home: string): boolean {
  const file = homeFiles(home).starter;
  const raw = readLockFile(file);
  const held = raw === undefined ? undefined : claimant(file, raw);
  return held !== undefined && held !== process.pid;
}

/** Claims the monitor's start for this process: true when it is this process's to start, false when it is held. */
export function claimStart(home: string): boolean {
  const file = homeFiles(home).starter;
  const mine = JSON.stringify({ pid: process.pid, since: processSince(process.pid), at: Date.now() });
  if (!createLockFile(file, mine)) {
    const raw = readLockFile(file);
    if (raw !== undefined && claimant(file, raw) !== undefined) return false;
    // A claim that lapsed, which a herd of waiting hooks finds at once: one of them takes it.
    if (!takeOverAbandonedLock(file, raw ?? '', mine)) return false;
  }
  // The claim now says what the socket client's mark said: the mark goes, so the state directory keeps no trace.
  rmSync(homeFiles(home).starterMark, { recursive: true, force: true });
  return true;
}
