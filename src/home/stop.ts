// Stopping this home's monitor from another process: `monitor stop`, and a command of another build replacing it.
import { readFileSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors/user.js';
import type { Logger } from '../log/logger.js';
import { sleep } from '../util/deadline.js';
import { homeFiles } from './files.js';
import { readLiveOwner } from './lock.js';
import { monitorCode, otherMonitorCode, readMonitorInfo, type ThisCode, thisCode } from './monitor-info.js';

/** Shown while a stop is waited for; the returned function clears it. */
export type Waiting = (pid: number) => () => void;

/**
 * SIGTERM to the running monitor, then SIGKILL after `timeoutS` (its files removed, since it cleans none up).
 * Undefined when none runs.
 */
export async function stopMonitor(opts: {
  home: string;
  timeoutS: number;
  waiting: Waiting;
}): Promise<{ pid: number; killed: boolean } | undefined> {
  const { home, timeoutS } = opts;
  const owner = readLiveOwner(home);
  if (!owner) return undefined;
  process.kill(owner.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutS * 1000;
  // Released lock = cleanup done (it is released last); the exited process may linger as a zombie meanwhile.
  const stopped = () => readLiveOwner(home)?.pid !== owner.pid;
  const done = opts.waiting(owner.pid);
  while (Date.now() < deadline && !stopped()) await sleep(50);
  done();
  if (stopped()) return { pid: owner.pid, killed: false };
  process.kill(owner.pid, 'SIGKILL');
  // A killed monitor cleans nothing up; its files would only mislead readers until the next start.
  const paths = homeFiles(home);
  for (const f of [paths.lock, paths.info, paths.storeServer]) rmSync(f, { force: true });
  return { pid: owner.pid, killed: true };
}

/** The state directory a process was started for, from its environment; undefined where that cannot be read. */
function homeOfProcess(pid: number): string | undefined {
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
