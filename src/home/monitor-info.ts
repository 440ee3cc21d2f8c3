// monitor.json: the facts a running monitor publishes (its pid, ports, schedules), for the CLI and install.
import { writeFileAtomic } from '../util/atomic-write.js';
import { readTextCapped, SMALL_MAX_BYTES } from '../util/safe-read.js';
import { homeFiles, type MonitorInfo } from './files.js';
import { readLiveOwner } from './lock.js';

export function writeMonitorInfo(home: string, info: MonitorInfo): void {
  writeFileAtomic(homeFiles(home).info, `${JSON.stringify(info, null, 2)}\n`, 0o600);
}

/** monitor.json, trusted only while the process that wrote it still holds the lock. */
export function readMonitorInfo(home: string): MonitorInfo | undefined {
  const owner = readLiveOwner(home);
  if (!owner) return undefined;
  try {
    const info = JSON.parse(readTextCapped(homeFiles(home).info, SMALL_MAX_BYTES)) as MonitorInfo;
    return info.pid === owner.pid ? info : undefined;
  } catch {
    return undefined; // the owner is still starting up
  }
}
