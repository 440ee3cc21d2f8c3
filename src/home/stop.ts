// Stopping this home's monitor from another process: `monitor stop`, a command of another build replacing it, and
// `monitor start` replacing one that does not answer.
import { readFileSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors/user.js';
import type { Logger } from '../log/logger.js';
import { sleep } from '../util/deadline.js';
import { pause } from '../util/file-lock.js';
import { homeFiles } from './files.js';
import { requestStop } from './signals.js';
import { dropStaleLock, readLiveOwner, type LiveOwner } from './lock.js';
import { type MonitorProbe, probeMonitor } from './monitor-probe.js';
import { monitorCode, otherMonitorCode, readMonitorInfo, type ThisCode, thisCode } from './monitor-info.js';

/** Shown while a stop is waited for; the returned function clears it. */
export type Waiting = (pid: number) => () => void;

/** How long a lock's owner the OS cannot vouch for may take to prove itself over its endpoint before a signal. */
const PROVE_MS = 2000;

/**
 * The pid to signal: the lock's owner when the OS says it is the process that took the lock (its start), else only
 * once it proves itself over its endpoint (monitor-probe.ts). Throws, leaving it alone, when it does not.
 */
async function provenOwner(home: string, owner: LiveOwner, asked?: MonitorProbe): Promise<number> {
  if (owner.identity === 'monitor') return owner.pid;
  const probe = asked ?? (await probeMonitor(home, PROVE_MS));
  if (probe.kind === 'answers' && probe.pid === owner.pid) return owner.pid;
  throw new UserError(
    `the monitor lock of ${home} names pid ${owner.pid}, which does not prove it is this home's monitor: it was left alone. If no monitor runs for ${home}, remove ${homeFiles(home).lock}`,
  );
}

/**
 * SIGTERM to the running monitor (on Windows, where Node's SIGTERM ends a process at once, a stop request in its state
 * directory), then SIGKILL after `timeoutS` (its files removed, since it cleans none up). Undefined when none runs.
 * Only a proven monitor is signalled (provenOwner).
 */
export async function stopMonitor(opts: {
  home: string;
  timeoutS: number;
  waiting: Waiting;
  platform?: NodeJS.Platform;
}): Promise<{ pid: number; killed: boolean } | undefined> {
  const { home, timeoutS } = opts;
  const owner = readLiveOwner(home);
  if (!owner) return undefined;
  const platform = opts.platform ?? process.platform;
  // An owner the OS cannot vouch for is asked first: a lock left to a process that is not the monitor (it died, its
  // pid reused) is dropped and that process left alone, so there was nothing to stop.
  const asked = owner.identity === 'monitor' ? undefined : await probeMonitor(home, PROVE_MS);
  if (asked?.kind === 'stranger') {
    dropStaleLock(home, owner.pid);
    return undefined;
  }
  // The stop request is read by this home's monitor alone: only a signal needs the proof.
  askToStop(home, platform === 'win32' ? owner.pid : await provenOwner(home, owner, asked), platform);
  const deadline = Date.now() + timeoutS * 1000;
  // Released lock = cleanup done (it is released last); the exited process may linger as a zombie meanwhile.
  const stopped = () => readLiveOwner(home)?.pid !== owner.pid;
  const done = opts.waiting(owner.pid);
  while (Date.now() < deadline && !stopped()) await sleep(50);
  done();
  if (stopped()) return { pid: owner.pid, killed: false };
  killMonitor(home, await provenOwner(home, owner));
  return { pid: owner.pid, killed: true };
}

/** Asks the monitor to stop gracefully: a stop request in its state directory on Windows, SIGTERM elsewhere. */
export function askToStop(home: string, pid: number, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32') requestStop(home);
  else {
    process.kill(pid, 'SIGTERM');
    // A stopped monitor (SIGSTOP, Ctrl-Z) would hold the SIGTERM until the SIGKILL: continued, it stops gracefully.
    process.kill(pid, 'SIGCONT');
  }
}

/**
 * The same stop for a caller that cannot wait on the event loop (a store's opener): the wait blocks. Whether a
 * monitor ran.
 */
export function stopMonitorNow(home: string, timeoutS: number): boolean {
  const owner = readLiveOwner(home);
  if (!owner) return false;
  // No proof can be waited for here: an owner the OS does not vouch for is asked through its state directory, which
  // only this home's monitor reads, and is never signalled.
  const vouched = owner.identity === 'monitor';
  if (vouched) askToStop(home, owner.pid);
  else requestStop(home);
  const deadline = Date.now() + timeoutS * 1000;
  while (Date.now() < deadline && readLiveOwner(home)?.pid === owner.pid) pause(50);
  if (vouched && readLiveOwner(home)?.pid === owner.pid) killMonitor(home, owner.pid);
  return true;
}

/** SIGKILL to the monitor, its files removed: a killed monitor cleans nothing up, and they would mislead readers. */
export function killMonitor(home: string, pid: number): void {
  signalMonitor(pid, 'SIGKILL');
  const paths = homeFiles(home);
  for (const f of [paths.lock, paths.info, paths.storeServer]) rmSync(f, { force: true });
}

/**
 * A signal to the lock's owner, which may have exited meanwhile; one running as another user (a monitor started with
 * sudo) is that user's to stop.
 */
export function signalMonitor(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return;
    if (code !== 'EPERM') throw err;
    throw new UserError(
      `the monitor (pid ${pid}) does not answer and runs as another user, so this command cannot replace it: stop it as that user (\`sudo kill ${pid}\`), then run \`taskhooks monitor start\``,
    );
  }
}

/** The state directory a process was started for, from its environment; undefined where that cannot be read. */
export function homeOfProcess(pid: number): string | undefined {
  let environ: string;
  try {
    environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return undefined; // no /proc (macOS), or another user's process: the lock and its command line vouch for it
  }
  const entry = environ.split('\0').find((e) => e.startsWith('TASKHOOKS_HOME='));
  return entry?.slice('TASKHOOKS_HOME='.length);
}

function sameDir(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return path.resolve(a) === path.resolve(b);
  }
}

/** A monitor of another build, stopped so that this build's can start. */
export interface Replaced {
  pid: number;
  /** Its code, in words (monitorCode). */
  code: string;
  killed: boolean;
}

/**
 * Stops this home's monitor when it runs another build than this process (otherMonitorCode), so this build's can be
 * started: its hooks, tokens and schemas are this build's. Undefined when none runs, it is this build's, or it has not
 * said what it runs yet. A lock owner started for another state directory is refused, never signalled.
 */
export async function stopOtherBuild(
  home: string,
  log: Logger,
  opts: { timeoutS?: number; waiting?: Waiting; self?: ThisCode } = {},
): Promise<Replaced | undefined> {
  const owner = readLiveOwner(home);
  const info = owner && readMonitorInfo(home);
  const other = info && otherMonitorCode(info, opts.self ?? thisCode());
  if (!owner || !info || !other) return undefined;
  const served = homeOfProcess(owner.pid);
  if (served !== undefined && !sameDir(served, home))
    throw new UserError(
      `the monitor lock of ${home} names pid ${owner.pid}, a monitor started for ${served}: it was left running. If no monitor runs for ${home}, remove ${homeFiles(home).lock}`,
    );
  log.info({ pid: owner.pid, other }, 'stopping the monitor of another build, to start this one');
  const stopped = await stopMonitor({ home, timeoutS: opts.timeoutS ?? 15, waiting: opts.waiting ?? (() => () => {}) });
  return { pid: owner.pid, code: monitorCode(info), killed: stopped?.killed ?? false };
}

/** The one line a command says when it replaced a monitor. */
export function replacedLine(r: Replaced): string {
  const how = r.killed ? ', killed when it did not stop in time' : '';
  return `replaced the monitor of another build (pid ${r.pid}, ${r.code}${how}) with this build's`;
}
