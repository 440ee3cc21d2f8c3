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
  /** The transport of the connection open to `server`, if one is. */
  transport(server: string): string | undefined;
}

function openConnections(): Connections {
  const connections = new Map<string, McpConnection>();
  return {
    async run(ep, op, deadline) {
      let conn = connections.get(ep.server);
      if (!conn) {
        conn = await connect(ep.target, deadline);
        connections.set(ep.server, conn);
      }
      return op(conn, deadline);
    },
    async drop(ep) {
      const conn = connections.get(ep.server);
      connections.delete(ep.server);
      await conn?.close();
    },
    transport: (server) => connections.get(server)?.transport,
  };
}

/** What a tool session keeps between calls: its connections, the local endpoints it handed on, the last that answered. */
interface ToolSessionState {
  readonly options: ToolSessionOptions;
  readonly policy: ResiliencePolicy;
  readonly connections: Connections;
  /** Local endpoints that failed in transit: the rest of the tool session goes straight to the next, same store. */
  readonly handedOff: Set<string>;
  last?: Endpoint;
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

/** The call, its failure classified: a 401 goes to `on401`, any other failure is thrown as it is. */
async function runUnless401<T>(
  conns: Connections,
  ep: Endpoint,
  op: Op<T>,
  deadline: Deadline,
  on401: (e: TaskSourceError) => Promise<T>,
): Promise<T> {
  try {
    return await conns.run(ep, op, deadline);
  } catch (err) {
    const e = classifyError(err, ep.server);
    if (e.kind !== 'auth' || e.status !== 401) throw e;
    return on401(e);
  }
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
  return runUnless401(conns, ep, op, deadline, async (e) => {
    if (!ep.auth.refresh) throw unauthorized(ep, e);
    log.info({ server: ep.server }, 'server answered 401: refreshing the token once');
    await conns.drop(ep);
    await ep.auth.refresh(deadline);
    return runUnless401(conns, ep, op, deadline, async (again) => {
      throw new TaskSourceError(
        'auth',
        `Task server error: 401 Unauthorized (token rejected after one refresh) at ${ep.server}`,
        { short: '401 Unauthorized (token rejected after one refresh)', place: ep.server, status: 401, cause: again },
      );
    });
  });
}

/** One attempt on `ep`: its rate limit, its credential, the call, and the call's metrics. */
async function attempt<T>(state: ToolSessionState, ep: Endpoint, op: Op<T>, deadline: Deadline): Promise<T> {
  const { cache, log, rate } = state.options;
  await acquireToken(ep.server, rate, deadline);
  const started = performance.now();
  try {
    const value = await authenticated(state.connections, log, ep, op, deadline);
    recordCall(cache, ep.server, performance.now() - started, null);
    return value;
  } catch (err) {
    const e = classifyError(err, ep.server);
    recordCall(cache, ep.server, performance.now() - started, e.message);
    // A connection that failed in transit is not trusted again; the next attempt reconnects.
    if (e.transient) await state.connections.drop(ep);
    throw e;
  }
}

/** `ep`'s answer: attempts retried within `within`, behind its shared breaker (by `deadline`) unless it is local. */
function askEndpoint<T>(
  state: ToolSessionState,
  ep: Endpoint,
  op: Op<T>,
  { deadline, within }: { deadline: Deadline; within: Deadline },
): Promise<T> {
  const { policy } = state;
  const { cache, log } = state.options;
  const retried = (): Promise<T> =>
    withRetry(() => attempt(state, ep, op, within), {
      policy,
      deadline: within,
      onRetry: (err, retry, delayMs) =>
        log.warn({ server: ep.server, retry, delayMs, error: (err as Error).message }, 'transient failure: retrying'),
    });
  // A local store has no breaker: nothing to spare it, and a busy one is no reason to turn every process away.
  if (ep.local) return retried();
  return behindBreaker({ cache, log, policy }, ep.server, deadline, retried, (err) => classifyError(err, ep.server));
}

/** The endpoints in order until one answers; a failure that is not transient, or the deadline, ends the call. */
async function perform<T>(state: ToolSessionState, op: Op<T>, { deadline }: CallOpts): Promise<T> {
  const { endpoints, log } = state.options;
  let lastError: TaskSourceError | undefined;
  for (const [i, ep] of endpoints.entries()) {
    if (state.handedOff.has(ep.server)) continue;
    // A local endpoint with the same store behind the next one (the monitor's, then in process) gets a short
    // while: a monitor too busy to answer hands the call on rather than spend the caller's whole deadline.
    const handoff = ep.local && i < endpoints.length - 1;
    const within = handoff
      ? deadlineAt(Math.min(deadline.at, Date.now() + LOCAL_HANDOFF_MS), deadline.signal)
      : deadline;
    try {
      const value = await askEndpoint(state, ep, op, { deadline, within });
      state.last = ep;
      return value;
    } catch (err) {
      const e = classifyError(err, ep.server);
      lastError = e;
      // A server whose circuit is open is skipped: the next one may answer.
      if (e.kind === 'breaker_open') continue;
      if (deadline.cancelled() || !e.transient || deadline.done()) throw e;
      if (handoff) state.handedOff.add(ep.server);
      log.warn({ server: ep.server, error: e.message }, 'server failed: trying the next one');
    }
  }
  throw (
    lastError ??
    new TaskSourceError('config', 'Task source not configured: no server to call', { short: 'no server configured' })
  );
}

export function openToolSession(options: ToolSessionOptions): ToolSession {
  const state: ToolSessionState = {
    options,
    policy: resolvePolicy(options.policy),
    connections: openConnections(),
    handedOff: new Set(),
  };
  return {
    call: (tool, args, opts) => perform(state, (conn, deadline) => conn.callTool(tool, args, deadline), opts),
    callAnswer: (tool, args, opts) =>
      perform(state, (conn, deadline) => conn.callToolAnswer(tool, args, deadline), opts),
    listTools: (opts) => perform(state, (conn, deadline) => conn.listTools(deadline), opts),
    server: () => (state.last ?? options.endpoints[0])?.server ?? 'none',
    transport: () => (state.last ? state.connections.transport(state.last.server) : undefined),
    async close() {
      await Promise.all(options.endpoints.map((ep) => state.connections.drop(ep)));
    },
  };
}
