// Whether this home's monitor answers, not only whether it holds its lock: a stopped (SIGSTOP, Ctrl-Z) or hung monitor
// keeps its lock and its listening sockets, so every reader of the lock takes it for healthy while no request is
// answered. One small request over its socket (or port) with a short deadline tells them apart.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { readLiveOwner } from './lock.js';
import { readMonitorInfo } from './monitor-info.js';

export type MonitorProbe =
  | { kind: 'none' }
  /** It holds the lock but has published no endpoint (starting up, or serving none): nothing to ask. */
  | { kind: 'unprobed'; pid: number }
  | { kind: 'answers'; pid: number }
  /** `stopped`: its process state is stopped (T), as SIGSTOP or a terminal's Ctrl-Z leaves it. */
  | { kind: 'silent'; pid: number; stopped: boolean; waitedMs: number };

/** The command that fixes a monitor that does not answer: it replaces that monitor. */
export const SILENT_MONITOR_FIX = 'run `taskhooks monitor start`, which replaces it';

/** What is wrong with a monitor that does not answer, in one line, without the fix. */
export function silentMonitorLine(p: { pid: number; stopped: boolean }): string {
  return `the monitor (pid ${p.pid}) holds its lock but does not answer: it is stopped or hung${p.stopped ? ' (its process is stopped)' : ''}`;
}

/**
 * The state letter of /proc/<pid>/stat (R, S, T, Z, …), after the command name's closing parenthesis (the name itself
 * may hold one). Undefined where /proc is missing (macOS) or the process is gone.
 */
export function processState(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const at = stat.lastIndexOf(')') + 2;
  return stat.slice(at, at + 1) || undefined;
}

/** Whether `pid` is stopped (SIGSTOP, Ctrl-Z, a tracer); false where /proc cannot tell: the probe's deadline still does. */
const processStopped = (pid: number): boolean => ['T', 't'].includes(processState(pid) ?? '');

/**
 * Whether anything answers an HTTP request at `where` within `timeoutMs` of silence: any status counts, the request is
 * refused. A connection that stays silent that long is destroyed, which settles it as an error.
 */
function answersAt(where: { socketPath: string } | { port: number }, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const to = 'socketPath' in where ? where : { host: '127.0.0.1', port: where.port };
    const req = http.get({ ...to, path: '/hooks/probe', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** Asks the monitor holding this home's lock for an answer within `timeoutMs`; a stopped process is not waited for. */
export async function probeMonitor(home: string, timeoutMs: number): Promise<MonitorProbe> {
  const owner = readLiveOwner(home);
  if (!owner) return { kind: 'none' };
  const { pid } = owner;
  if (processStopped(pid)) return { kind: 'silent', pid, stopped: true, waitedMs: 0 };
  const info = readMonitorInfo(home);
  const where = info?.hookSocket
    ? { socketPath: info.hookSocket }
    : info?.hookPort
      ? { port: info.hookPort }
      : undefined;
  if (!where) return { kind: 'unprobed', pid };
  const started = Date.now();
  if (await answersAt(where, timeoutMs)) return { kind: 'answers', pid };
  return { kind: 'silent', pid, stopped: processStopped(pid), waitedMs: Date.now() - started };
}
