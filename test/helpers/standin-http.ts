// The loopback HTTP part shared by the stand-ins of services that cannot run here (Linear, Jira, Azure DevOps): a server on
// 127.0.0.1 that records what it was asked, and misbehaves on demand before the service's own answer.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type StandinFault =
  /** An HTTP status with an optional body and headers (a 429 with Retry-After, a 503). */
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** A 200 whose body is not JSON. */
  | { kind: 'malformed' }
  /** The connection closed without an answer. */
  | { kind: 'reset' };

export interface SeenRequest {
  method: string;
  path: string;
  host: string | undefined;
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

export interface StandinAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface StandinServer {
  url: string;
  requests: SeenRequest[];
  /** Faults applied to the next requests, one each, before normal answers resume. */
  queue(...faults: StandinFault[]): void;
  /** A fault applied to every request until cleared with undefined. */
  always(fault: StandinFault | undefined): void;
  /** Changes every answer's JSON body before it is sent (a service answering off its schema). */
  tamper: ((body: unknown, req: SeenRequest) => unknown) | undefined;
  close(): Promise<void>;
}

export async function startStandinServer(
  handle: (req: SeenRequest) => Promise<StandinAnswer> | StandinAnswer,
): Promise<StandinServer> {
  const requests: SeenRequest[] = [];
  const faults: StandinFault[] = [];
  let standing: StandinFault | undefined;
  const sockets = new Set<Socket>();
  const state: Pick<StandinServer, 'tamper'> = { tamper: undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // kept as text: the handler says what is wrong with it
      }
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        host: req.headers.host,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body,
      };
      requests.push(seen);
      const fault = faults.shift() ?? standing;
      if (fault?.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'malformed') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"data": [unterminated');
        return;
      }
      if (fault?.kind === 'status') {
        res
          .writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers })
          .end(JSON.stringify(fault.body ?? { message: `HTTP ${fault.status}` }));
        return;
      }
      Promise.resolve()
        .then(() => handle(seen))
        .then(
          (answer) => {
            const out = state.tamper ? state.tamper(answer.body, seen) : answer.body;
            res
              .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
              .end(out === undefined ? '' : JSON.stringify(out));
          },
          (err: unknown) => {
            res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: String(err) }));
          },
        );
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    queue: (...f) => faults.push(...f),
    always: (f) => {
      standing = f;
    },
    get tamper() {
      return state.tamper;
    },
    set tamper(fn) {
      state.tamper = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Runs `call` while the stand-in answers it with a redirect to another loopback host: what `call` threw, and what that
 * host received (a client that keeps its credentials to the configured API receives nothing there).
 */
export async function redirectedAway(
  standin: StandinServer,
  call: () => Promise<unknown>,
): Promise<{ error: unknown; received: SeenRequest[] }> {
  const elsewhere = await startStandinServer(() => ({ status: 200, body: {} }));
  try {
    standin.queue({ kind: 'status', status: 307, headers: { location: `${elsewhere.url}/steal` } });
    const error = await call().then(
      () => undefined,
      (err: unknown) => err,
    );
    return { error, received: [...elsewhere.requests] };
  } finally {
    await elsewhere.close();
  }
}
