// One hook input posted to this home's monitor, by a process that runs beside an agent rather than inside the monitor:
// its Unix socket where it has one, else the loopback port a live monitor published, with the hook token (Windows,
// where the monitor has no socket). Never throws: no answer says why, so the caller knows whether to answer itself.
// Nothing reaches a listener that is not this home's monitor: the socket must be this user's, and on the port the
// monitor proves itself (monitor-proof.ts) before the input and the token are sent. An answer is read up to a bound.
import { lstatSync } from 'node:fs';
import net from 'node:net';
import { monitorSocketPath } from './endpoint.js';
import { readHookToken } from './endpoint-record.js';
import { readMonitorInfo } from './monitor-info.js';
import { NONCE_HEADER, newNonce, PROOF_HEADER, provesMonitor } from './monitor-proof.js';

/** The port's monitor is the lock's owner, `pid`: what its proof names. */
export type MonitorEndpoint = { socketPath: string } | { port: number; token: string; pid: number };

/** The most of an answer read: a hook's answer is a few KB; whatever sends more is not answering a hook. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * Whether `file` is a Unix socket this user made: in the owner-only state directory nobody else can make one, and a
 * socket of another user's there (a folder left open to others) is not this home's monitor.
 */
export function ownSocket(file: string): boolean {
  try {
    const st = lstatSync(file);
    return st.isSocket() && st.uid === process.getuid?.();
  } catch {
    return false;
  }
}

/**
 * Where the monitor answers: its socket (when this user's), then the port a live monitor published, with the token.
 * `info` is monitor.json as a caller already read it.
 */
export function monitorEndpoints(home: string, info = readMonitorInfo(home)): MonitorEndpoint[] {
  const out: MonitorEndpoint[] = [];
  const socket = monitorSocketPath(home);
  if (socket && ownSocket(socket)) out.push({ socketPath: socket });
  // Only a monitor that still holds the lock: a dead one's port may be another process's now, and the token with it.
  const port = info?.hookPort;
  if (!info || typeof port !== 'number' || port <= 0) return out;
  const token = readHookToken(home);
  if (token) out.push({ port, token, pid: info.pid });
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
export async function postToMonitor(
  to: MonitorEndpoint,
  route: string,
  body: string,
  asker: Asker,
  waitMs: number,
): Promise<{ text: string } | NoAnswer> {
  const deadline = Date.now() + waitMs;
  // Nothing was sent to a listener that did not prove itself: the caller answers as if none listened.
  if ('port' in to && !(await proves(to, deadline))) return 'unreachable';
  const head = [
    `POST /hooks/${route} HTTP/1.0`,
    'Host: localhost',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Taskhooks-Agent-Pid: ${asker.agentPid}`,
    ...(asker.agent ? [`X-Taskhooks-Agent: ${asker.agent}`] : []),
    ...('token' in to ? [`X-Taskhooks-Token: ${to.token}`] : []),
  ];
  const response = await exchange(to, `${head.join('\r\n')}\r\n\r\n${body}`, deadline);
  return typeof response === 'string' ? response : answerOf(response.toString('utf8'));
}

/** Whether the listener on the monitor's port proves it is the monitor `to.pid` (monitor-proof.ts), by `deadline`. */
async function proves(to: { port: number; token: string; pid: number }, deadline: number): Promise<boolean> {
  const nonce = newNonce();
  const response = await exchange(
    to,
    `GET /hooks/probe HTTP/1.0\r\nHost: localhost\r\n${NONCE_HEADER}: ${nonce}\r\n\r\n`,
    deadline,
  );
  if (typeof response === 'string') return false;
  const head = response.toString('latin1', 0, Math.max(0, response.indexOf('\r\n\r\n')));
  const proof = new RegExp(`^${PROOF_HEADER}:[ \\t]*([0-9a-f]+)[ \\t]*$`, 'im').exec(head)?.[1];
  return provesMonitor(proof, to.token, nonce, to.pid);
}

/**
 * One HTTP/1.0 request over a plain socket and everything that comes back until the monitor closes the connection, or
 * why nothing whole came: `late` once anything was written and no whole answer came by `deadline`, or it outgrew
 * MAX_ANSWER_BYTES (read no further).
 */
function exchange(to: MonitorEndpoint, request: string, deadline: number): Promise<Buffer | NoAnswer> {
  return new Promise((resolve) => {
    const socket = 'socketPath' in to ? net.connect(to.socketPath) : net.connect(to.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (a: Buffer | NoAnswer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(a);
    };
    const timer = setTimeout(() => finish('late'), Math.max(0, deadline - Date.now()));
    socket.on('connect', () => socket.write(request));
    socket.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_ANSWER_BYTES) finish('late');
      else chunks.push(d);
    });
    socket.on('end', () => finish(Buffer.concat(chunks)));
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
