// Streamable HTTP at POST /mcp (stateless: a pooled McpServer per request in flight, JSON responses; see
// post-transport.ts), the live connections that push task changes at /mcp/live (see live.ts), and GET /health. Auth, the
// body cap and the rate limit run before any JSON is parsed or any tool runs. A session's discover and tools/list are
// answered from the derived listing (modern.ts); the MCP machinery (mcp-handling.ts) is loaded by the first other
// request that gets that far.
import { closeSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '../log/logger.js';
import { createAuthenticator, type HttpAuthOptions } from './auth.js';
import { foreignRequest, isLoopbackHost } from '../util/local-request.js';
import { sleep } from '../util/deadline.js';
import type { TaskStore } from '../store/index.js';
import { createGuardedServer, type ConnectionLimits } from '../util/http-server.js';
import { tokenBuckets, type TokenBuckets } from '../util/token-bucket.js';
import { requestTools, type SessionPlace, type Tools } from './tools/tool-families.js';
import type { McpHandling } from './mcp-handling.js';
import { packageVersion } from '../util/package.js';
import { isJsonObject } from '../util/object.js';
import {
  admittedMessage,
  credentialOf,
  principalOf,
  rpcError,
  sendJson,
  throttled,
  type Authenticate,
} from './http-admission.js';

export interface HttpServerOptions {
  host?: string;
  /**
   * A host other than loopback is refused unless this is set: without TLS, bearer tokens cross the network in clear,
   * and the Host and Origin checks that keep web pages out of a loopback server cannot apply.
   */
  allowRemote?: boolean;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** A socket already bound to `port` and listening, handed over by another process: served instead of binding. */
  fd?: number;
  store: TaskStore;
  log: Logger;
  auth: HttpAuthOptions | 'none';
  /**
   * Tool calls per minute per principal and client address (a team sharing one token is not throttled as one
   * caller); default 600. Counted by each process alone: N processes behind a proxy admit up to N times as many.
   */
  rateLimitPerMinute?: number;
  /** Default 1 MiB. */
  maxBodyBytes?: number;
  /** Timeouts and connection caps (src/util/http-server.ts has the defaults). */
  limits?: Partial<ConnectionLimits>;
  /** What a request naming no `?tools=` is offered (default all families), and where its session works, where known. */
  session?: { tools?: Tools; place?: (req: IncomingMessage) => SessionPlace | undefined };
  /** Called once a client was answered a tools/list, with its request: it has the tools from then on. */
  onToolsListed?: (req: IncomingMessage) => void;
  /** How a wrong credential's answer waits out its penalty (auth-throttle.ts): `sleep`, unless a test records it. */
  penaltyWait?: (ms: number) => Promise<void>;
  /** Whether a connection is served at all, asked as it arrives: the monitor's store server serves its user only. */
  admit?: (socket: Socket) => Promise<boolean>;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

function refuseForeign(res: ServerResponse, why: string, log: Logger): void {
  log.warn({ status: 403, reason: why }, 'request rejected: not from a local client');
  sendJson(res, 403, rpcError(-32000, `Forbidden: ${why}`));
}

/** What the request handlers share. */
interface Handling {
  store: TaskStore;
  log: Logger;
  authenticate: Authenticate | undefined;
  limiter: TokenBuckets;
  maxBody: number;
  /** The MCP machinery, loaded by the first request the derived listing does not answer. */
  mcp: () => Promise<McpHandling>;
  /** The derived listing's answers (modern.ts), loaded by the first MCP request as the MCP machinery is. */
  listing: () => Promise<typeof import('./modern.js')>;
  session: HttpServerOptions['session'];
  onToolsListed: HttpServerOptions['onToolsListed'];
  startedAt: number;
}

/** No auth, or a host other than loopback, only when it is safe or the caller said so. */
function checkExposure(opts: HttpServerOptions, host: string, loopback: boolean): void {
  if (opts.auth === 'none' && !loopback)
    throw new Error(
      `Refusing to serve without auth on ${host}: --no-auth is allowed only on a loopback host (127.0.0.1, ::1, localhost)`,
    );
  if (!loopback && !opts.allowRemote) {
    throw new Error(
      `Refusing to serve on ${host}: bearer tokens would cross the network in clear (no TLS); pass --allow-remote to accept that, or serve on 127.0.0.1`,
    );
  }
}

async function handleMcp(h: Handling, req: IncomingMessage, res: ServerResponse, isLive: boolean): Promise<void> {
  const principal = await principalOf(h, req, res);
  if (!principal) return;
  if (!isLive && req.method !== 'POST') {
    // Stateless: there is no connection to stream server-initiated messages on; /mcp/live has them.
    sendJson(
      res,
      405,
      rpcError(-32000, 'Method not allowed: this endpoint is stateless, use POST (changes are pushed on /mcp/live)'),
      { Allow: 'POST' },
    );
    return;
  }
  if (isLive && req.method !== 'POST') return (await h.mcp()).handle(req, res, principal, true, undefined);
  const admitted = await admittedMessage(h, req, res, principal);
  if (!admitted) return;
  const atOnce = isLive
    ? undefined
    : (await h.listing()).answeredAtOnce(req, admitted.message, requestTools(req, h.session?.tools));
  if (atOnce) sendJson(res, 200, atOnce);
  else await (await h.mcp()).handle(req, res, principal, isLive, admitted.message);
  if (h.onToolsListed && asksToolsList(admitted.message)) h.onToolsListed(req);
}

/** Whether a request body (one message or a batch) asks for tools/list. */
const asksToolsList = (body: unknown): boolean =>
  (Array.isArray(body) ? body : [body]).some((m) => isJsonObject(m) && m.method === 'tools/list');

/** That the server is up, to anyone; what it is and holds, only to a client that authenticates. */
async function health(h: Handling, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const credential = credentialOf(req);
  const known = h.authenticate !== undefined && credential !== undefined && (await h.authenticate(req, credential)).ok;
  if (!known) return sendJson(res, 200, { status: 'ok' });
  sendJson(res, 200, {
    status: 'ok',
    version: packageVersion(),
    uptime_s: Math.round((Date.now() - h.startedAt) / 1000),
    tasks: await h.store.countTasks(),
    auth: 'required',
  });
}

/** A path with no route: a plain 404 (OAuth discovery and client registration too), logged for who asks what. */
function notFound(h: Handling, req: IncomingMessage, res: ServerResponse, path: string | undefined): void {
  h.log.debug({ method: req.method, path }, 'no route');
  sendJson(res, 404, { error: `Not found: ${req.method} ${path} (the MCP endpoint is POST /mcp)` });
}

function route(h: Handling, loopback: boolean, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  const foreign = loopback
    ? foreignRequest(req.headers)
    : req.headers.origin !== undefined
      ? 'requests from web pages are not served'
      : undefined;
  const answered = foreign
    ? Promise.resolve(refuseForeign(res, foreign, h.log))
    : path === '/mcp' || path === '/mcp/' || path === '/mcp/live'
      ? handleMcp(h, req, res, path === '/mcp/live')
      : path === '/health' && req.method === 'GET'
        ? health(h, req, res)
        : Promise.resolve(notFound(h, req, res, path));
  answered.catch((err: unknown) => {
    h.log.error({ err, path }, 'request failed');
    if (!res.headersSent) sendJson(res, 500, rpcError(-32603, 'Internal server error'));
    else res.end();
  });
}

function listen(server: Server, at: { port: number; host: string } | { fd: number }): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const listening = () => {
      server.off('error', reject);
      resolve();
    };
    if ('fd' in at) server.listen({ fd: at.fd }, listening);
    else server.listen(at.port, at.host, listening);
  });
}

/** The handed socket when it can be served (else it is closed, freeing its port), or the port bound afresh. */
async function listenOn(server: Server, port: number, host: string, fd: number | undefined, log: Logger) {
  if (fd !== undefined) {
    try {
      return await listen(server, { fd });
    } catch (err) {
      log.warn({ err, fd }, 'could not serve the socket handed over; binding the port afresh');
      try {
        closeSync(fd);
      } catch {
        // the failed listen closed it already
      }
    }
  }
  await listen(server, { port, host });
}

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningHttpServer> {
  const { store, log } = opts;
  const host = opts.host ?? '127.0.0.1';
  const loopback = isLoopbackHost(host);
  checkExposure(opts, host, loopback);
  // Per principal and address: the whole minute's budget may burst, refilled evenly over the minute.
  const perMinute = opts.rateLimitPerMinute ?? 600;
  let mcp: Promise<McpHandling> | undefined;
  let listing: Promise<typeof import('./modern.js')> | undefined;
  const h: Handling = {
    store,
    log,
    authenticate:
      opts.auth === 'none' ? undefined : throttled(createAuthenticator(opts.auth, log), log, opts.penaltyWait ?? sleep),
    limiter: tokenBuckets(perMinute, perMinute / 60),
    maxBody: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    mcp: () =>
      (mcp ??= import('./mcp-handling.js').then((m) => m.createMcpHandling({ store, log, session: opts.session }))),
    listing: () => (listing ??= import('./modern.js')),
    startedAt: Date.now(),
    session: opts.session,
    onToolsListed: opts.onToolsListed,
  };
  const http = createGuardedServer({ ...opts, loopback }, (req, res) => route(h, loopback, req, res));
  await listenOn(http, opts.port ?? 0, host, opts.fd, log);
  const { port } = http.address() as AddressInfo;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}/mcp`;
  log.info({ url, auth: h.authenticate ? 'required' : 'off' }, 'task server listening');
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        void mcp?.then((m) => m.close());
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
