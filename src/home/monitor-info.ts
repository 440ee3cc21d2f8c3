// monitor.json: the facts a running monitor publishes (its pid, ports, schedules), for the CLI and install.
import { writeFileAtomic } from '../util/atomic-write.js';
import { packageRoot, packageVersion } from '../util/package.js';
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

/** The code a running monitor runs, in words: "taskhooks 0.1.0 from /opt/taskhooks". */
export function monitorCode(info: MonitorInfo): string {
  return `taskhooks ${info.version ?? '(version unknown)'} from ${info.codeRoot ?? '(folder unknown)'}`;
}

/** How the running monitor's code differs from this process's, in words; undefined when it is the same. */
export function otherMonitorCode(info: MonitorInfo): string | undefined {
  if (info.version !== undefined && info.version !== packageVersion())
    return `taskhooks ${info.version}, where this command is ${packageVersion()}`;
  if (info.codeRoot !== undefined && info.codeRoot !== packageRoot())
    return `the copy in ${info.codeRoot}, where this command is ${packageRoot()}`;
  return undefined;
}

/** The line that says a monitor of another copy serves this home, and how to run this copy's instead. */
export function otherMonitorLine(other: string): string {
  return `the monitor running for this state directory runs other code (${other}): it keeps serving every session; \`taskhooks monitor stop\` then \`taskhooks monitor start\` runs this copy's`;
}
