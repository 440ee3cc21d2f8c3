// The fast path: hook events answered over loopback HTTP by the long-lived monitor, so a PreToolUse or PostToolUse
// costs a request instead of a node start. The answer is whatever the command hook would print (src/hooks decides).
import { timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HOOK_NAMES, type HookName } from '../hooks/events/events.js';
import type { Logger } from '../log/logger.js';
import { foreignRequest } from '../util/local-request.js';
import { createGuardedServer, readJsonBody, type ConnectionLimits } from '../util/http-server.js';

/** A served hook's route name: every one of HOOK_EVENTS (an event installed as a command may still be posted here). */
export type HookEvent = HookName;

/** Runs one hook event with the daemon's long-lived cache; null means "nothing to say". */
export type ServedHookHandler = (event: HookEvent, input: unknown) => Promise<object | null>;

const TOKEN_HEADER = 'x-taskhooks-token';
const MAX_BODY = 1024 * 1024;

function tokenMatches(expected: Buffer, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string') return false;
  const b = Buffer.from(given);
  return b.length === expected.length && timingSafeEqual(b, expected);
}

/** Ends the connection after a refused body, so the rest of it is not read as a next request. */
const CLOSE = { connection: 'close' };

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

const ROUTES: Record<string, HookEvent> = Object.fromEntries(HOOK_NAMES.map((name) => [`/hooks/${name}`, name]));
const ROUTE_LIST = Object.keys(ROUTES).join(', ');

export interface ServedHooks {
  port: number;
  close(): Promise<void>;
}

interface ServedHooksOptions {
  port: number;
  token: string;
  handle: ServedHookHandler;
  log: Logger;
  /** Other routes on the same loopback server (the dashboard), behind the same Host/Origin check: true when answered. */
  mount?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
  limits?: Partial<ConnectionLimits>;
}

/** Listens on 127.0.0.1:`port` (0 = any free port). */
export async function startServedHooks(opts: ServedHooksOptions): Promise<ServedHooks> {
  const server = createGuardedServer(
    // Claude Code's hook requests come seconds apart: a connection kept that long is reused.
    { loopback: true, limits: { keepAliveTimeoutMs: 30_000, ...opts.limits } },
    hookRequests(opts),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The request handler: a local client's request, a mounted route, else a hook event posted with the token. */
function hookRequests(opts: ServedHooksOptions): http.RequestListener {
  const expected = Buffer.from(opts.token);
  return (req, res) => {
    const event = ROUTES[(req.url ?? '').split('?')[0] ?? ''];
    const foreign = foreignRequest(req.headers);
    if (foreign) {
      opts.log.warn({ event, reason: foreign }, 'served hook refused: not from a local client');
      req.resume();
      return send(res, 403, { error: `forbidden: ${foreign}` });
    }
    if (opts.mount?.(req, res)) return;
    if (req.method !== 'POST' || !event) return send(res, 404, { error: `not found: POST one of ${ROUTE_LIST}` });
    if (!tokenMatches(expected, req.headers[TOKEN_HEADER])) {
      opts.log.warn({ event }, 'served hook refused: missing or wrong X-Taskhooks-Token');
      req.resume();
      return send(res, 401, { error: 'missing or wrong X-Taskhooks-Token (see $TASKHOOKS_HOME/hook-token)' });
    }
    void readJsonBody(req, MAX_BODY).then((body) => {
      if (body.kind === 'gone') return;
      if (body.kind === 'too-large') return send(res, 413, { error: 'hook input larger than 1 MiB' }, CLOSE);
      if (body.kind === 'not-json')
        return send(res, 400, { error: `the body must be the hook input as JSON: ${body.reason}` });
      opts.handle(event, body.value).then(
        (out) => send(res, 200, out ?? {}),
        (err: unknown) => {
          // Hooks fail open: the session carries on without context, and the log says why.
          opts.log.error({ err, event }, 'served hook failed');
          send(res, 200, {});
        },
      );
    });
  };
}
