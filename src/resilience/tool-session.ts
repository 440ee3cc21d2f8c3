// One resilient way to call tools on a task source: an ordered list of endpoints, each behind its shared
// circuit breaker, client rate limit, retries for transient failures, one token refresh on a 401, and metrics.
import { recordCall } from '../cache/metrics.js';
import type { Cache } from '../cache/cache.js';
import type { Logger } from '../log/logger.js';
import { NO_AUTH, type AuthProvider } from '../auth/provider.js';
import { connect, type McpConnection, type McpTarget, type ToolAnswer } from '../mcp/client.js';
import { classifyError } from '../mcp/classify.js';
import { TaskSourceError } from '../errors/task-source.js';
import { behindBreaker } from './breaker.js';
import { resolvePolicy, type ResiliencePolicy } from './policy.js';
import { acquireToken, type RateLimit } from './rate-limit.js';
import { withRetry } from './retry.js';
import { deadlineAt, type Deadline } from '../util/deadline.js';

/** How long a local endpoint that has another in reserve (the monitor's, before in process) may take to answer. */
const LOCAL_HANDOFF_MS = 5000;

export interface Endpoint {
  /** The breaker, metrics and error-message key: a URL, `stdio:<command>` or `embedded`. */
  server: string;
  target: McpTarget;
  auth: AuthProvider;
  /**
   * The user's own task store on this machine (in process, or the monitor's over loopback): its slowness is a busy
   * file, not a server down, so it has no shared breaker that would turn every process away from it.
   */
  local?: boolean;
}

export interface ToolSessionOptions {
  endpoints: Endpoint[];
  cache: Cache;
  log: Logger;
  rate: RateLimit;
  policy?: Partial<ResiliencePolicy> | undefined;
}

export interface CallOpts {
  /** The whole call, failover and retries included: the source sets it, source.timeoutMs from now by default. */
  deadline: Deadline;
}

export interface ToolSession {
  call(tool: string, args: Record<string, unknown>, opts: CallOpts): Promise<unknown>;
  /** The tool's answer as it came (texts, structured content), for a reader that knows no schema of it. */
  callAnswer(tool: string, args: Record<string, unknown>, opts: CallOpts): Promise<ToolAnswer>;
  listTools(opts: CallOpts): Promise<string[]>;
  /** The endpoint that answered last (after failover), or the first one. */
  server(): string;
  transport(): string | undefined;
  close(): Promise<void>;
}

type Op<T> = (conn: McpConnection, deadline: Deadline) => Promise<T>;

/** A tool session's open connections: a call on one (connecting first when there is none), and forgetting one. */
interface Connections {
  run<T>(ep: Endpoint, op: Op<T>, deadline: Deadline): Promise<T>;
  drop(ep: Endpoint): Promise<void>;
}

/** The 401 of a server whose credential cannot be refreshed: said with what to set. */
function unauthorized(ep: Endpoint, cause: TaskSourceError): TaskSourceError {
  const why =
    ep.auth === NO_AUTH
      ? 'it needs credentials: set MCP_API_TOKEN, KEYCLOAK_URL/KEYCLOAK_REALM/KEYCLOAK_CLIENT_ID/KEYCLOAK_CLIENT_SECRET, or its Authorization header in .mcp.json'
      : `it rejected ${ep.auth.describe}`;
  return new TaskSourceError('auth', `Task server error: 401 Unauthorized at ${ep.server} (${why})`, {
    short: '401 Unauthorized',
    place: ep.server,
    status: 401,
    cause,
  });
}

/** One attempt: the auth credential, the call, and on a 401 exactly one forced refresh and one retry. */
async function authenticated<T>(
  conns: Connections,
  log: Logger,
  ep: Endpoint,
  op: Op<T>,
  deadline: Deadline,
): Promise<T> {
  await ep.auth.prepare(deadline);
  try {
    return await conns.run(ep, op, deadline);
  } catch (err) {
    const e = classifyError(err, ep.server);
    if (e.kind !== 'auth' || e.status !== 401) throw e;
    if (!ep.auth.refresh) throw unauthorized(ep, e);
    log.info({ server: ep.server }, 'server answered 401: refreshing the token once');
    await conns.drop(ep);
    await ep.auth.refresh(deadline);
    try {
      return await conns.run(ep, op, deadline);
    } catch (err2) {
      const e2 = classifyError(err2, ep.server);
      if (e2.kind !== 'auth' || e2.status !== 401) throw e2;
      throw new TaskSourceError(
        'auth',
        `Task server error: 401 Unauthorized (token rejected after one refresh) at ${ep.server}`,
        { short: '401 Unauthorized (token rejected after one refresh)', place: ep.server, status: 401, cause: e2 },
      );
    }
  }
}

export function openToolSession(options: ToolSessionOptions): ToolSession {
  const policy = resolvePolicy(options.policy);
  const { cache, log } = options;
  const connections = new Map<string, McpConnection>();
  const handedOff = new Set<string>();
  let last: Endpoint | undefined;

  const drop = async (ep: Endpoint): Promise<void> => {
    const conn = connections.get(ep.server);
    connections.delete(ep.server);
    await conn?.close();
  };

  async function run<T>(ep: Endpoint, op: Op<T>, deadline: Deadline): Promise<T> {
    let conn = connections.get(ep.server);
    if (!conn) {
      conn = await connect(ep.target, deadline);
      connections.set(ep.server, conn);
    }
    return op(conn, deadline);
  }

  async function attempt<T>(ep: Endpoint, op: Op<T>, deadline: Deadline): Promise<T> {
    await acquireToken(ep.server, options.rate, deadline);
    const started = performance.now();
    try {
      const value = await authenticated({ run, drop }, log, ep, op, deadline);
      recordCall(cache, ep.server, performance.now() - started, null);
      return value;
    } catch (err) {
      const e = classifyError(err, ep.server);
      recordCall(cache, ep.server, performance.now() - started, e.message);
      // A connection that failed in transit is not trusted again; the next attempt reconnects.
      if (e.transient) await drop(ep);
      throw e;
    }
  }

  async function perform<T>(op: Op<T>, { deadline }: CallOpts): Promise<T> {
    let lastError: TaskSourceError | undefined;
    for (const [i, ep] of options.endpoints.entries()) {
      if (handedOff.has(ep.server)) continue;
      // A local endpoint with the same store behind the next one (the monitor's, then in process) gets a short
      // while: a monitor too busy to answer hands the call on rather than spend the caller's whole deadline.
      const handoff = ep.local && i < options.endpoints.length - 1;
      const within = handoff
        ? deadlineAt(Math.min(deadline.at, Date.now() + LOCAL_HANDOFF_MS), deadline.signal)
        : deadline;
      const retried = (): Promise<T> =>
        withRetry(() => attempt(ep, op, within), {
          policy,
          deadline: within,
          onRetry: (err, retry, delayMs) =>
            log.warn(
              { server: ep.server, retry, delayMs, error: (err as Error).message },
              'transient failure: retrying',
            ),
        });
      // A local store has no breaker: nothing to spare it, and a busy one is no reason to turn every process away.
      const guarded = !ep.local;
      try {
        const value = guarded
          ? await behindBreaker({ cache, log, policy }, ep.server, deadline, retried, (err) =>
              classifyError(err, ep.server),
            )
          : await retried();
        last = ep;
        return value;
      } catch (err) {
        const e = classifyError(err, ep.server);
        lastError = e;
        // A server whose circuit is open is skipped: the next one may answer.
        if (e.kind === 'breaker_open') continue;
        if (deadline.cancelled() || !e.transient || deadline.done()) throw e;
        // The rest of this tool session goes straight to the next one: it holds the same store.
        if (handoff) handedOff.add(ep.server);
        log.warn({ server: ep.server, error: e.message }, 'server failed: trying the next one');
      }
    }
    throw (
      lastError ??
      new TaskSourceError('config', 'Task source not configured: no server to call', { short: 'no server configured' })
    );
  }

  return {
    call: (tool, args, opts) => perform((conn, deadline) => conn.callTool(tool, args, deadline), opts),
    callAnswer: (tool, args, opts) => perform((conn, deadline) => conn.callToolAnswer(tool, args, deadline), opts),
    listTools: (opts) => perform((conn, deadline) => conn.listTools(deadline), opts),
    server: () => (last ?? options.endpoints[0])?.server ?? 'none',
    transport: () => (last ? connections.get(last.server)?.transport : undefined),
    async close() {
      await Promise.all(options.endpoints.map(drop));
    },
  };
}
