// Whether this home's monitor answers, not only whether it holds its lock: a stopped (SIGSTOP, Ctrl-Z) or hung monitor
// keeps its lock and its listening sockets, so every reader of the lock takes it for healthy while no request is
// answered. One small request over its socket (or port) with a short deadline tells them apart. On the port the answer
// must prove it is this home's monitor (monitor-proof.ts): a monitor that died leaves its port to whoever takes it.
import { processState, readLiveOwner, recordProof } from './lock.js';
import { readMonitorInfo } from './monitor-info.js';
import { NONCE_HEADER, newNonce, PROOF_HEADER, provesMonitor } from './monitor-proof.js';
import { readHookToken } from './endpoint-record.js';
import { ownSocket } from './served-post.js';

export type MonitorProbe =
  | { kind: 'none' }
  /** It holds the lock but has published no endpoint (starting up, or serving none): nothing to ask. */
  | { kind: 'unprobed'; pid: number }
  | { kind: 'answers'; pid: number }
  /**
   * No monitor of this home where it published its endpoint: nothing listens there, or a socket not this user's, or a
   * port whose listener does not prove itself. The monitor is gone (it would hold them), and its lock is stale: that
   * process is never signalled.
   */
  | { kind: 'stranger'; pid: number }
  /** `stopped`: its process state is stopped (T), as SIGSTOP or a terminal's Ctrl-Z leaves it. */
  | { kind: 'silent'; pid: number; stopped: boolean; waitedMs: number };

/** The command that fixes a monitor that does not answer: it replaces that monitor. */
export const SILENT_MONITOR_FIX = 'run `taskhooks monitor start`, which replaces it';

/** The command that fixes a lock left to a process that is not the monitor. */
export const STRANGER_FIX = 'run `taskhooks monitor start`, which starts one and leaves that process alone';

/** What is wrong when what answers for the lock's owner is not the monitor, in one line, without the fix. */
export function strangerLine(p: { pid: number }): string {
  return `the monitor lock names pid ${p.pid}, but no monitor of this home answers where it served (nothing does, or something that cannot prove it is one): the monitor is gone`;
}

/** What is wrong with a monitor that does not answer, in one line, without the fix. */
export function silentMonitorLine(p: { pid: number; stopped: boolean }): string {
  return `the monitor (pid ${p.pid}) holds its lock but does not answer: it is stopped or hung${p.stopped ? ' (its process is stopped)' : ''}`;
}

/** Whether `pid` is stopped (SIGSTOP, Ctrl-Z, a tracer); false where /proc cannot tell: the probe's deadline still does. */
const processStopped = (pid: number): boolean => ['T', 't'].includes(processState(pid) ?? '');

/** Where to ask, and how to know the answer is the monitor's: on the port, its proof for a fresh nonce. */
type ProbeAt = { socketPath: string } | { port: number; token: string | undefined; pid: number };

/**
 * Whether anything answers an HTTP request at `where` within `timeoutMs` of silence (any status counts, the request is
 * refused), and whether it is the monitor. A connection that stays silent that long is destroyed, which settles it as
 * an error.
 */
function answersAt(where: ProbeAt, timeoutMs: number): Promise<'monitor' | 'stranger' | 'silent'> {
  return new Promise((resolve) => {
    const nonce = newNonce();
    const to =
      'socketPath' in where ? where : { host: '127.0.0.1', port: where.port, headers: { [NONCE_HEADER]: nonce } };
    // Not imported: an ES import of node:http loads undici through its namespace's getters (http-server.ts).
    const { get } = process.getBuiltinModule('node:http');
    const req = get({ ...to, path: '/hooks/probe', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      const proven =
        'socketPath' in where ||
        (where.token !== undefined && provesMonitor(res.headers[PROOF_HEADER], where.token, nonce, where.pid));
      resolve(proven ? 'monitor' : 'stranger');
    });
    req.on('timeout', () => req.destroy());
    // Refused: nothing listens there, which a monitor alive (even stopped) would.
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED' ? 'stranger' : 'silent'));
  });
}

/** Asks the monitor holding this home's lock for an answer within `timeoutMs`; a stopped process is not waited for. */
export async function probeMonitor(home: string, timeoutMs: number): Promise<MonitorProbe> {
  const owner = readLiveOwner(home);
  if (!owner) return { kind: 'none' };
  const { pid } = owner;
  if (processStopped(pid)) return { kind: 'silent', pid, stopped: true, waitedMs: 0 };
  const info = readMonitorInfo(home);
  if (info?.hookSocket && !ownSocket(info.hookSocket)) return { kind: 'stranger', pid };
  const where: ProbeAt | undefined = info?.hookSocket
    ? { socketPath: info.hookSocket }
    : info?.hookPort
      ? { port: info.hookPort, token: readHookToken(home), pid }
      : undefined;
  if (!where) return { kind: 'unprobed', pid };
  const started = Date.now();
  const found = await answersAt(where, timeoutMs);
  if (found === 'monitor') {
    // What it publishes may now be sent a token by this process (src/home/monitor-trust.ts).
    recordProof(pid);
    return { kind: 'answers', pid };
  }
  if (found === 'stranger') return { kind: 'stranger', pid };
  return { kind: 'silent', pid, stopped: processStopped(pid), waitedMs: Date.now() - started };
}
