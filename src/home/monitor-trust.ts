// Whether this home's monitor may be sent a token (the store's, the dashboard's) where the OS cannot vouch for the
// lock's owner (macOS, Windows, an earlier build's lock): only once it proves itself (monitor-proof.ts). The probe's
// code (node:http) loads only then, so a command where the OS vouches pays one small file read.
import { readLiveOwner, vouchedFor } from './lock.js';

/**
 * Why this home's monitor may not be sent a token, with the fix, in one line; undefined when it may (the OS vouches
 * for the lock's owner, or it answers with its proof within `timeoutMs`, remembered for this process's later reads)
 * or when none runs. Only where the OS cannot vouch (macOS, Windows, an earlier build's lock) is anything asked.
 */
export async function distrustedMonitor(home: string, timeoutMs: number): Promise<string | undefined> {
  const owner = readLiveOwner(home);
  if (!owner || vouchedFor(owner)) return undefined;
  const { probeMonitor, silentMonitorLine, strangerLine, SILENT_MONITOR_FIX, STRANGER_FIX } = await import(
    './monitor-probe.js'
  );
  const found = await probeMonitor(home, timeoutMs);
  // An answer is its proof, which probeMonitor records for this process's later reads.
  if (found.kind === 'none' || found.kind === 'answers') return undefined;
  if (found.kind === 'silent') return `${silentMonitorLine(found)}; ${SILENT_MONITOR_FIX}`;
  if (found.kind === 'stranger') return `${strangerLine(found)}; ${STRANGER_FIX}`;
  return `the monitor lock names pid ${found.pid}, which has published no endpoint to prove it is this home's monitor on; ${STRANGER_FIX}`;
}
