// One hook input posted to this home's monitor, by a process that runs beside an agent rather than inside the monitor:
// its Unix socket where it has one, else the loopback port a live monitor published, with the hook token (Windows,
// where the monitor has no socket). Never throws: no answer says why, so the caller knows whether to answer itself.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { monitorSocketPath } from './endpoint.js';
import { homeFiles } from './files.js';
import { readMonitorInfo } from './monitor-info.js';

export type MonitorEndpoint = { socketPath: string } | { port: number; token: string };

/** Where the monitor answers: its socket, then the port a live monitor published, with the token. */
export function monitorEndpoints(home: string): MonitorEndpoint[] {
  const out: MonitorEndpoint[] = [];
  const socket = monitorSocketPath(home);
  if (socket) out.push({ socketPath: socket });
  // Only a monitor that still holds the lock: a dead one's port may be another process's now, and the token with it.
  const port = readMonitorInfo(home)?.hookPort;
  if (typeof port !== 'number' || port <= 0) return out;
  try {
    const token = readFileSync(homeFiles(home).hookToken, 'utf8').trim();
    if (token) out.push({ port, token });
  } catch {
    // no token yet: the socket, or the caller's own answer
  }
  return out;
}

/**
 * Why a POST brought no answer: nothing listens there (`unreachable`: the next endpoint may serve), or a monitor took
 * the request and did not answer in time or answered wrong (`late`: it may have taken the event, told nobody).
 */
export type NoAnswer = 'unreachable' | 'late';
/** Connecting failed: the request never reached a monitor. */
const UNREACHABLE = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'EACCES']);

/** Who asks: the agent's process (the session's), and the agent when it is not Claude Code. */
export interface Asker {
  agentPid: number;
  agent?: string;
}

/** One POST of `body` to the monitor's `/hooks/<route>`: the text of a 200 answer, or why there is none in `waitMs`. */
export function postToMonitor(
  to: MonitorEndpoint,
  route: string,
  body: string,
  asker: Asker,
  waitMs: number,
): Promise<{ text: string } | NoAnswer> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (a: { text: string } | NoAnswer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(a);
    };
    // A connection of its own and a host header given: node:http's pooling agent and its host checks (a regex
    // compiled on first use) cost a cold process ~5 ms, and this one makes one request.
    const connect = () =>
      'socketPath' in to ? net.connect(to.socketPath) : net.connect({ host: '127.0.0.1', port: to.port });
    const req = http.request(
      {
        createConnection: connect,
        setHost: false,
        method: 'POST',
        path: `/hooks/${route}`,
        headers: {
          host: 'localhost',
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(asker.agent ? { 'x-taskhooks-agent': asker.agent } : {}),
          'x-taskhooks-agent-pid': String(asker.agentPid),
          ...('token' in to ? { 'x-taskhooks-token': to.token } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('error', () => finish('late'));
        res.on('end', () => finish(res.statusCode === 200 ? { text } : 'late'));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish('late');
    }, waitMs);
    req.on('error', (err: NodeJS.ErrnoException) => finish(UNREACHABLE.has(err.code ?? '') ? 'unreachable' : 'late'));
    req.end(body);
  });
}
