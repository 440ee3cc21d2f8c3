// Install's last step: a monitor running for the installing person's state directory, and which code it runs.
import { ensureMonitorRunning } from '../../home/launch.js';
import { monitorCode, otherMonitorCode, otherMonitorLine, readMonitorInfo } from '../../home/monitor-info.js';
import { replacedLine, stopOtherBuild } from '../../home/stop.js';
import type { Logger } from '../../log/logger.js';

export type MonitorState = {
  state: 'running' | 'started' | 'not-started' | 'disabled';
  pid?: number;
  /** The code it runs, in words (monitorCode), once it has said. */
  code?: string;
  /** The line saying that code is not this command's, when it is not: a monitor of another copy is never adopted silently. */
  other?: string;
  /** The line saying a monitor of another build was stopped for this one, when one was. */
  replaced?: string;
};

/** How long install waits for a monitor it started to listen: the first session after it finds the monitor up. */
const MONITOR_UP_MS = 10_000;

/**
 * Starts the monitor unless one of this build runs (one of another build is stopped first: the hooks install writes
 * carry this build's routes and tokens), waits (bounded) for one it started to publish where it serves, and says which.
 */
export async function startMonitor(home: string, log: Logger, env: NodeJS.ProcessEnv): Promise<MonitorState> {
  const replaced = await stopOtherBuild(home, log);
  const r = ensureMonitorRunning(home, log, { env });
  const state: MonitorState = { state: r.started ? 'started' : r.running ? 'running' : 'not-started' };
  if (replaced) state.replaced = replacedLine(replaced);
  if (r.started) {
    const deadline = Date.now() + MONITOR_UP_MS;
    while (readMonitorInfo(home) === undefined && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 50));
  }
  const info = readMonitorInfo(home);
  const pid = info?.pid ?? r.pid;
  if (pid !== undefined) state.pid = pid;
  if (info) {
    state.code = monitorCode(info);
    const other = otherMonitorCode(info);
    if (other) state.other = otherMonitorLine(other);
  }
  return state;
}
