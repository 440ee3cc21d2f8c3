// The HTTP task server's admission of a request, before any tool runs: its caller authenticated (a failed attempt
// throttled), its body read within the size and depth caps, its tool calls counted against the caller's rate limit;
// each refusal answered as JSON-RPC with its status. ./http.ts routes what is admitted.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log/logger.js';
import { readJsonBody, type RefusedId } from '../util/http-server.js';
import { tooDeepReason } from '../util/json-depth.js';
import { isLoopbackHost } from '../util/local-request.js';
import type { TokenBuckets } from '../util/token-bucket.js';
import type { Principal } from './principal.js';
import { bearerChallenge, type AuthOutcome, type createAuthenticator } from './auth.js';
import { failureThrottle } from './auth-throttle.js';

/** What admission needs of the server. */
export interface Admission {
  authenticate: Authenticate | undefined;
  log: Logger;
  limiter: TokenBuckets;
  maxBody: number;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  // Encode once: a list answer is tens of KB, and taking its length first would otherwise encode it twice.
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': bytes.length, ...headers });
  res.end(bytes);
}

/** JSON-RPC's error; for the request's id where it was read (a body refused unparsed), else null. */
export const rpcError = (code: number, message: string, id: RefusedId = null): unknown => ({
  jsonrpc: '2.0',
  error: { code, message },
  id,
});

/**
 * The caller's address for the rate limit: behind a proxy every request comes from the proxy, so the first
 * X-Forwarded-For hop stands in, but only when the peer itself is loopback (a proxy on the same host); from anywhere
 * else the header is the caller's own word and would let it pick a fresh budget per request.
 */
function clientAddress(req: IncomingMessage): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  const forwarded = req.headers['x-forwarded-for'];
  if (typeof forwarded !== 'string' || !isLoopbackHost(peer.replace(/^::ffff:/, ''))) return peer;
  return forwarded.split(',')[0]?.trim() || peer;
}

export function countToolCalls(message: unknown): number {
  const list = Array.isArray(message) ? message : [message];
  return list.filter((m) => (m as { method?: unknown } | null)?.method === 'tools/call').length;
}

/** The JSON-RPC message of a POST within the body cap and the rate limit, or undefined once refused. */
export async function admittedMessage(
  h: Admission,
  req: IncomingMessage,
  res: ServerResponse,
  principal: Principal,
): Promise<{ message: unknown } | undefined> {
  const body = await readJsonBody(req, h.maxBody);
  if (body.kind === 'gone') return undefined;
  if (body.kind === 'too-large') {
    h.log.warn({ status: 413, principal: principal.name, limit: h.maxBody }, 'request rejected');
    sendJson(res, 413, rpcError(-32600, `Request body larger than ${h.maxBody} bytes`, body.id), {
      Connection: 'close',
    });
    return undefined;
  }
  if (body.kind === 'too-deep') {
    h.log.warn(
      { status: 400, principal: principal.name, maxDepth: body.maxDepth },
      'request rejected: nested too deep',
    );
    sendJson(res, 400, rpcError(-32600, `Invalid Request: ${tooDeepReason(body.maxDepth)}`, body.id));
    return undefined;
  }
  if (body.kind === 'not-json') {
    sendJson(res, 400, rpcError(-32700, `Parse error: the body is not JSON: ${body.reason}`));
    return undefined;
  }
  const message = body.value;
  const calls = countToolCalls(message);
  const waitMs = calls > 0 ? h.limiter.take(`${principal.name}\u0000${clientAddress(req)}`, calls) : 0;
  if (waitMs > 0) {
    const retryAfterS = Math.max(1, Math.ceil(waitMs / 1000));
    h.log.warn({ status: 429, principal: principal.name, retryAfterS }, 'rate limit exceeded');
    sendJson(res, 429, rpcError(-32000, `Rate limit exceeded for ${principal.name}: retry in ${retryAfterS} s`), {
      'Retry-After': String(retryAfterS),
    });
    return undefined;
  }
  return { message };
}

const ANONYMOUS: Principal = { name: 'anonymous', tools: ['*'], via: 'anonymous' };

/** The bearer credential of a request: `Authorization`, else `X-API-Key` (where task-tracking clients send theirs). */
export function credentialOf(req: IncomingMessage): string | undefined {
  const apiKey = req.headers['x-api-key'];
  return (
    req.headers.authorization ?? (typeof apiKey === 'string' && apiKey.trim() ? `Bearer ${apiKey.trim()}` : undefined)
  );
}

export type Authenticate = (req: IncomingMessage, credential: string | undefined) => Promise<AuthOutcome>;

/**
 * Authentication as every route uses it: a failed attempt, on any route, is answered only when the failure throttle
 * (auth-throttle.ts) lets it, by the peer's own address (X-Forwarded-For is the caller's word, not counted on).
 */
export function throttled(
  authenticate: ReturnType<typeof createAuthenticator>,
  log: Logger,
  wait: (ms: number) => Promise<void>,
): Authenticate {
  const failures = failureThrottle();
  return async (req, credential) => {
    const outcome = await authenticate(credential);
    if (outcome.ok) return outcome;
    // A request with no token at all is not someone guessing tokens, so it gets no penalty wait. A session whose
    // entry lost its header (a clone's, an old one) is told at once instead of being held through OAuth discovery.
    if (outcome.error !== 'invalid_token') return outcome;
    const remote = req.socket.remoteAddress ?? 'unknown';
    const penaltyMs = failures.failed(remote);
    log.warn({ path: req.url, reason: outcome.description, remote, penaltyMs }, 'authentication failed');
    await wait(penaltyMs);
    return outcome;
  };
}

/** The principal of an authenticated request, or undefined once a 401 has been sent. */
export async function principalOf(
  h: Admission,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<Principal | undefined> {
  if (!h.authenticate) return ANONYMOUS;
  const outcome = await h.authenticate(req, credentialOf(req));
  if (outcome.ok) return outcome.principal;
  sendJson(res, 401, rpcError(-32001, `Unauthorized: ${outcome.description}`), {
    'WWW-Authenticate': bearerChallenge(outcome),
  });
  return undefined;
}
