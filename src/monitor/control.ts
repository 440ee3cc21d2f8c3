// Starting and stopping this home's monitor from outside it: detached (`monitor start`), in the foreground (`monitor
// run`, `start`), and a graceful stop that kills only after a timeout (`monitor stop`).
import type { ChildProcess } from 'node:child_process';
import type { Settings } from '../config/settings.js';
import { UserError } from '../errors/user.js';
import { homeFiles, type MonitorInfo } from '../home/files.js';
import { spawnMonitor } from '../home/launch.js';
import { readLiveOwner } from '../home/lock.js';
import { type Replaced, stopMonitor, stopOtherBuild, type Waiting } from '../home/stop.js';
import { monitorCode, otherMonitorCode, otherMonitorLine, readMonitorInfo } from '../home/monitor-info.js';
import type { Logger } from '../log/logger.js';
import { runUntilSignalled, type RunningMonitor, type StartResult } from './daemon.js';
import { productionServices } from './services.js';
import { sleep } from '../util/deadline.js';

export { stopMonitor };

export function alreadyRunning(home: string, pid: number): UserError {
  const info = readMonitorInfo(home);
  const other = info && otherMonitorCode(info);
  const code = info ? `, ${monitorCode(info)}` : '';
  return new UserError(
    `a monitor is already running for ${home} (pid ${pid}${code}); it was left alone (\`taskhooks monitor stop\` stops it)` +
      (other ? `\nnote: ${otherMonitorLine(other)}` : ''),
  );
}

/** Waits until the spawned monitor has published monitor.json, or has exited (then says why). */
async function waitUntilUp(home: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (readMonitorInfo(home)?.pid === child.pid) return;
    if (exited !== undefined) {
      const owner = readLiveOwner(home);
      if (owner && owner.pid !== child.pid) throw alreadyRunning(home, owner.pid);
      throw new UserError(`the monitor exited at start (code ${exited}); see ${homeFiles(home).monitorLog}`);
    }
    await sleep(50);
  }
  throw new UserError(
    `the monitor (pid ${child.pid}) did not come up within ${timeoutMs / 1000} s; see ${homeFiles(home).monitorLog}`,
  );
}

/**
 * A detached monitor for `home`, once it is up. One of another build already running is stopped first (`replaced`
 * says so); one of this build is an error.
 */
export async function startDetached(opts: {
  home: string;
  log: Logger;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  waiting: Waiting;
}): Promise<{
  info: Pick<MonitorInfo, 'pid' | 'hookPort' | 'hookProblem' | 'storeServerUrl'>;
  logFile: string;
  replaced?: Replaced;
}> {
  const { home } = opts;
  const replaced = await stopOtherBuild(home, opts.log, { waiting: opts.waiting });
  const owner = readLiveOwner(home);
  if (owner) throw alreadyRunning(home, owner.pid);
  const child = spawnMonitor(home, opts.log, opts.env);
  const done = opts.waiting(child.pid ?? 0);
  await waitUntilUp(home, child, opts.timeoutMs).finally(done);
  return {
    info: readMonitorInfo(home) ?? { pid: child.pid ?? 0, hookPort: null },
    logFile: homeFiles(home).monitorLog,
    ...(replaced ? { replaced } : {}),
  };
}

/** The pid of the monitor running for `home`, if one does. */
export function runningMonitorPid(home: string): number | undefined {
  return readLiveOwner(home)?.pid;
}

/** The monitor in this process, with the production services, until SIGTERM/SIGINT; `onReady` runs once it is up. */
export function runInForeground(
  opts: { settings: Settings; env: NodeJS.ProcessEnv },
  onReady?: (m: RunningMonitor) => Promise<void>,
): Promise<StartResult> {
  return runUntilSignalled({ ...opts, services: productionServices(opts.env) }, onReady);
}

export type { RunningMonitor };
