// One hook input posted to this home's monitor, by a process that runs beside an agent rather than inside the monitor:
// its Unix socket where it has one, else the loopback port a live monitor published, with the hook token (Windows,
// where the monitor has no socket). Never throws: no answer says why, so the caller knows whether to answer itself.
import { readFileSync } from 'node:fs';
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

/**
 * One POST of `body` to the monitor's `/hooks/<route>`: the text of a 200 answer, or why there is none in `waitMs`.
 * HTTP/1.0 over a plain socket, as hooks/socket-post.pl speaks it: the monitor closes the connection after its answer,
 * so the answer is all that arrives, never chunked. node:http's client cost a cold process ~15 ms more (its
 * modules, its agent, its parser), and this runs once a session start, in a process that does nothing else.
 */
export function postToMonitor(
  to: MonitorEndpoint,
  route: string,
  body: string,
  asker: Asker,
  waitMs: number,
): Promise<{ text: string } | NoAnswer> {
  return new Promise((resolve) => {
    const head = [
      `POST /hooks/${route} HTTP/1.0`,
      'Host: localhost',
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      `X-Taskhooks-Agent-Pid: ${asker.agentPid}`,
      ...(asker.agent ? [`X-Taskhooks-Agent: ${asker.agent}`] : []),
      ...('token' in to ? [`X-Taskhooks-Token: ${to.token}`] : []),
    ];
    const socket = 'socketPath' in to ? net.connect(to.socketPath) : net.connect(to.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (a: { text: string } | NoAnswer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(a);
    };
    const timer = setTimeout(() => finish('late'), waitMs);
    socket.on('connect', () => socket.write(`${head.join('\r\n')}\r\n\r\n${body}`));
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('end', () => finish(answerOf(Buffer.concat(chunks).toString('utf8'))));
    socket.on('error', (err: NodeJS.ErrnoException) =>
      finish(!socket.bytesWritten && UNREACHABLE.has(err.code ?? '') ? 'unreachable' : 'late'),
    );
  });
}

/** A whole HTTP/1.0 answer's body when it is a 200 of the length it says; `late` otherwise (the monitor took the input). */
function answerOf(response: string): { text: string } | NoAnswer {
  const end = response.indexOf('\r\n\r\n');
  if (end < 0 || !/^HTTP\/1\.[01] 200 /.test(response)) return 'late';
  const text = response.slice(end + 4);
  const length = /^content-length:\s*(\d+)\s*$/im.exec(response.slice(0, end))?.[1];
  return length === undefined || Buffer.byteLength(text) === Number(length) ? { text } : 'late';
}
