// After a reboot or a crash several sessions' hooks find no monitor at once. The first to claim the start answers
// itself, and so starts the monitor; the others wait for that monitor rather than each loading the hooks' code beside
// it on a machine already busy. A claim whose process is gone, or is another run of its pid, is nobody's.
import { unlinkSync } from 'node:fs';
import { createLockFile, isOwnerlessLockAbandoned, readLockFile, removeAbandonedLock } from '../util/file-lock.js';
import { homeFiles } from './files.js';
import { lockIdentity, processSince } from './lock.js';

/**
 * The process the claim in `file` (read as `raw`) names while it still runs; undefined for a claim that is nobody's.
 * One not yet written (its claimant between creating and writing it) is its claimant's for a moment: `pending`.
 */
function claimant(file: string, raw: string): number | 'pending' | undefined {
  try {
    const { pid, since } = JSON.parse(raw) as { pid?: unknown; since?: unknown };
    if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
    const owner = { pid, startedAt: 0, since: typeof since === 'string' ? since : undefined };
    return lockIdentity(owner) === 'other' ? undefined : pid;
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

/**
 * Claims the monitor's start for this process: true when it is this process's to start (the claim is dropped as it
 * exits), false when another live process holds it.
 */
export function claimStart(home: string): boolean {
  const file = homeFiles(home).starter;
  const mine = JSON.stringify({ pid: process.pid, since: processSince(process.pid) });
  for (let tries = 0; tries < 2; tries++) {
    if (createLockFile(file, mine)) {
      process.once('exit', () => {
        if (readLockFile(file) !== mine) return;
        try {
          unlinkSync(file);
        } catch (err) {
          // Left behind, it is judged by its process, which is gone: nobody's.
          process.stderr.write(`taskhooks: could not remove ${file}: ${(err as Error).message}\n`);
        }
      });
      return true;
    }
    const raw = readLockFile(file);
    if (raw !== undefined && claimant(file, raw) !== undefined) return false;
    removeAbandonedLock(file, raw ?? '');
  }
  // Taken and dropped twice meanwhile: answering as before costs only this hook's load.
  return true;
}
