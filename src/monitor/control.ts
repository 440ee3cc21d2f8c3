// Starting and stopping this home's monitor from outside it: detached (`monitor start`), in the foreground (`monitor
// run`, `start`), and a graceful stop that kills only after a timeout (`monitor stop`).
import type { ChildProcess } from 'node:child_process';
import type { Settings } from '../config/settings.js';
import { UserError } from '../errors/user.js';
import { homeFiles, type MonitorInfo } from '../home/files.js';
import { monitorChildEnv, spawnMonitor } from '../home/launch.js';
import { loadConfigThroughConfigCache } from '../config/config-cache.js';
import { dropStaleLock, processState, readLiveOwner } from '../home/lock.js';
import { probeMonitor, strangerLine, type MonitorProbe } from '../home/monitor-probe.js';
import { killMonitor, replacedLine, signalMonitor, stopMonitor, stopOtherBuild, type Waiting } from '../home/stop.js';
import { isProcessAlive } from '../util/file-lock.js';
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

/** How long a running monitor may take to answer `monitor start` before it counts as not answering: a busy machine
 * slows an answer, and a healthy monitor taken for a silent one would be restarted for nothing. */
const PROBE_MS = 2000;
/** How long a monitor that answered once continued may take to stop gracefully before it is killed. */
const REPLACE_STOP_S = 5;
/** How long a killed monitor may take to be gone (its port and socket freed) before the new one starts. */
const GONE_MS = 5000;

/** Waits until `pid` has exited (a zombie holds no port); false when it still runs after `ms`. */
async function gone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  const dead = () => !isProcessAlive(pid) || processState(pid) === 'Z';
  while (!dead() && Date.now() < deadline) await sleep(25);
  return dead();
}

/**
 * The monitor holding the lock that does not answer, continued (SIGCONT) and asked again: one that answers then is
 * stopped gracefully, one that still does not is killed. Only the lock's owner, whose command line is a monitor's, is
 * ever signalled. Says what was done, in one line.
 */
async function replaceSilent(
  home: string,
  silent: Extract<MonitorProbe, { kind: 'silent' }>,
  waiting: Waiting,
): Promise<string> {
  const { pid } = silent;
  const what = `the monitor (pid ${pid}) held its lock but did not answer${silent.stopped ? ' (its process was stopped)' : ''}`;
  signalMonitor(pid, 'SIGCONT');
  const again = await probeMonitor(home, PROBE_MS);
  if (again.kind === 'none') return `Note: ${what}; it exited once continued (SIGCONT), and a new one started.`;
  if (again.pid !== pid) throw alreadyRunning(home, again.pid);
  if (again.kind === 'answers' || again.kind === 'unprobed') {
    const stopped = await stopMonitor({ home, timeoutS: REPLACE_STOP_S, waiting });
    if (stopped && !(await gone(stopped.pid, GONE_MS))) throw stillThere(pid);
    return `Note: ${what}; it answered once continued (SIGCONT), was stopped${stopped?.killed ? ' (SIGKILL after it did not stop in time)' : ''}, and a new one started.`;
  }
  killMonitor(home, pid);
  if (!(await gone(pid, GONE_MS))) throw stillThere(pid);
  return `Note: ${what}; it did not answer once continued (SIGCONT) either, so it was killed (SIGKILL) and a new one started.`;
}

/** A lock's owner that does not answer and that the OS cannot vouch for (no /proc): never signalled. */
const unprovenSilent = (home: string, pid: number): UserError =>
  new UserError(
    `the monitor lock of ${home} names pid ${pid}, which does not answer, and this system cannot tell whether it is the monitor: it was left alone. Stop it if it is a hung monitor (\`kill ${pid}\`), else remove ${homeFiles(home).lock}; then run \`taskhooks monitor start\``,
  );

const stillThere = (pid: number): UserError =>
  new UserError(`the monitor (pid ${pid}) was killed but is still there after ${GONE_MS / 1000} s; see \`ps ${pid}\``);

/**
 * Removes the lock when the OS cannot vouch for the process it names and no monitor of this home answers where it
 * published its endpoint (the monitor died unannounced, its pid reused): that process is left alone.
 * Says so in one line; undefined when the lock stands.
 */
async function dropStrangersLock(home: string, log: Logger): Promise<string | undefined> {
  const owner = readLiveOwner(home);
  if (!owner || owner.identity === 'monitor') return undefined;
  const probe = await probeMonitor(home, PROBE_MS);
  if (probe.kind !== 'stranger') return undefined;
  log.warn({ pid: probe.pid }, 'the monitor lock names a process that is not the monitor: starting one');
  dropStaleLock(home, probe.pid);
  return `Note: ${strangerLine(probe)}; that process was left alone, and a new one started.`;
}

/**
 * A detached monitor for `home`, once it is up. One of another build already running is stopped first; one of this
 * build is an error, unless it does not answer: then it is replaced. `replaced` says which happened, in one line.
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
  replaced?: string;
}> {
  const { home } = opts;
  const stale = await dropStrangersLock(home, opts.log);
  const other = await stopOtherBuild(home, opts.log, { waiting: opts.waiting });
  // Each thing done is said, still in one line.
  let replaced = [stale, other && `${replacedLine(other)}.`].filter(Boolean).join(' ');
  const owner = readLiveOwner(home);
  if (owner) {
    const found = await probeMonitor(home, PROBE_MS);
    // The process that took the lock, its endpoint gone: a monitor that lost its listener, replaced as a silent one.
    const probe: MonitorProbe =
      found.kind === 'stranger' && owner.identity === 'monitor'
        ? { kind: 'silent', pid: found.pid, stopped: false, waitedMs: 0 }
        : found;
    if (probe.kind !== 'silent') throw alreadyRunning(home, owner.pid);
    if (owner.identity !== 'monitor') throw unprovenSilent(home, probe.pid);
    opts.log.warn({ pid: probe.pid, stopped: probe.stopped }, 'the monitor does not answer: replacing it');
    replaced = [replaced, await replaceSilent(home, probe, opts.waiting)].filter(Boolean).join(' ');
  }
  // The monitor reads its config in `home` through the validated-config cache: the entry left here, by a process that
  // exits soon, is its hit, so it never loads the config loader and zod's core, which it would keep for good.
  // A config that does not load is the monitor's to report: here it only costs the monitor that memory.
  await loadConfigThroughConfigCache({ cwd: home, env: monitorChildEnv(home, opts.env) }).catch((err: unknown) =>
    opts.log.debug({ err }, "the monitor's config cache could not be primed: it loads the config itself"),
  );
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
