// The fast path: hook events answered over loopback HTTP by the long-lived monitor, so a tool call costs a request
// instead of a node start. The answer is whatever the command hook would print (src/hooks decides). The same routes
// listen on the state directory's Unix socket too, where the filesystem proves the caller is the home's owner: no token
// there, and a client that sends its input there never hands it to a TCP listener that may not be its monitor.
import { timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AGENT_IDS, AGENTS } from '../../agents/index.js';
import type { CommonOutput } from '../../agents/agent.js';
import { HOOK_NAMES, type HookName } from '../../hooks/events/events.js';
import type { ServedCaller } from '../../hooks/hosts/served.js';
import { MAX_HOOK_INPUT_BYTES } from '../../hooks/hosts/stdin-read.js';
import type { Logger } from '../../log/logger.js';
import { shownHome } from '../../home/dir.js';
import { monitorProof, NONCE, NONCE_HEADER, PROOF_HEADER } from '../../home/monitor-proof.js';
import { foreignRequest } from '../../util/local-request.js';
import { MAX_JSON_DEPTH, tooDeepReason } from '../../util/json-depth.js';
import { createGuardedServer, readJsonBody, type ConnectionLimits } from '../../util/http-server.js';

/** A served hook's route name: every one of HOOK_EVENTS (an event installed as a command may still be posted here). */
export type HookEvent = HookName;

/** Runs one hook event with the daemon's long-lived cache; null means "nothing to say". */
export type ServedHookHandler = (event: HookEvent, input: unknown, caller: ServedCaller) => Promise<object | null>;

const TOKEN_HEADER = 'x-taskhooks-token';
const AGENT_PID_HEADER = 'x-taskhooks-agent-pid';
const AGENT_HEADER = 'x-taskhooks-agent';
const AGENT_EVENT_HEADER = 'x-taskhooks-agent-event';
const MAX_BODY = MAX_HOOK_INPUT_BYTES;

/** PreToolUse's refusal of a call whose input it will not read, with the reason the session is shown. */
const denied = (reason: string): CommonOutput => ({
  hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason },
});

/**
 * PreToolUse's answer to an input too large to read: refused, since a guard that cannot read a call must not let it
 * through; every other event says nothing.
 */
const TOO_LARGE: Partial<Record<HookEvent, CommonOutput>> = {
  'pre-tool-use': denied(
    `taskhooks: this tool call's input is over ${MAX_BODY / 1024 / 1024} MiB, more than its guards read; split it into smaller calls`,
  ),
};

/**
 * An input nested past the bound is refused before it is parsed. PreToolUse denies the call (an error status would let
 * it through unread); every other event gets a 400, which the agent shows as the hook's error.
 */
const TOO_DEEP_REASON = `taskhooks: ${tooDeepReason(MAX_JSON_DEPTH, "this tool call's input")}`;

/**
 * A refusal made here, as the calling agent reads one (its hooks answer in their own shape, runServedHook's). The input
 * was not read, so the agent's name of the event is the one its binding of this route gives, unless its client said.
 */
function inAgentsShape(output: CommonOutput | undefined, event: HookEvent, caller: ServedCaller): object {
  if (output === undefined) return {};
  if (!caller.agent) return output;
  const agent = AGENTS[caller.agent];
  const named = caller.agentEvent ?? agent.bindings.find((b) => b.hooks.includes(event))?.event ?? '';
  return agent.fromCommon(output, named) ?? {};
}

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
  /** The Unix socket the same routes listen on, or why there is none. */
  socket: { path: string } | { problem: string };
  close(): Promise<void>;
}

interface ServedHooksOptions {
  port: number;
  /** The state directory's Unix socket (src/home/endpoint.ts), or undefined where its path is too long for one. */
  socketPath?: string | undefined;
  token: string;
  handle: ServedHookHandler;
  log: Logger;
  /** Other routes on the same loopback server (the dashboard), behind the same Host/Origin check: true when answered. */
  mount?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
  limits?: Partial<ConnectionLimits>;
}

/**
 * Listens on exactly 127.0.0.1:`port` (the endpoint's hook port, with the token good there), and on the socket where
 * there is one. A port another process took meanwhile fails with EADDRINUSE: the caller settles another and its token.
 */
export async function startServedHooks(opts: ServedHooksOptions): Promise<ServedHooks> {
  // Claude Code's hook requests come seconds apart: a connection kept that long is reused.
  const limits = { keepAliveTimeoutMs: 30_000, ...opts.limits };
  const server = createGuardedServer({ loopback: true, limits }, hookRequests(opts, false));
  await listen(server, opts.port, '127.0.0.1');
  const local = await listenOnSocket(opts, limits);
  const closeOne = (s: http.Server) =>
    new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  return {
    port: (server.address() as AddressInfo).port,
    socket: 'path' in local ? { path: local.path } : { problem: local.problem },
    close: async () => {
      await Promise.all([closeOne(server), ...('server' in local ? [closeOne(local.server)] : [])]);
    },
  };
}

function listen(server: http.Server, port: number | string, host?: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const done = () => {
      server.off('error', reject);
      resolve();
    };
    if (host === undefined) server.listen(port, done);
    else server.listen(port as number, host, done);
  });
}

/**
 * The same routes on the home's socket. A socket file left there belongs to a monitor that died: the lock makes this
 * one the home's only monitor, so it is removed first. No socket is no failure: the TCP port still serves.
 */
async function listenOnSocket(
  opts: ServedHooksOptions,
  limits: Partial<ConnectionLimits>,
): Promise<{ path: string; server: http.Server } | { problem: string }> {
  const file = opts.socketPath;
  if (!file) return { problem: "the state directory's path is too long for a Unix socket" };
  const server = createGuardedServer({ loopback: true, limits }, hookRequests(opts, true));
  try {
    if (existsSync(file)) unlinkSync(file);
    await listen(server, file);
    // The socket takes the umask (0777 under umask 000): the owner alone may post to it, as to mcp.sock.
    chmodSync(file, 0o600);
    return { path: file, server };
  } catch (err) {
    // Listening, but not narrowed to its owner: not served.
    server.close();
    const problem = `cannot listen on ${file}: ${(err as Error).message}`;
    opts.log.warn({ err, socket: file }, `served hooks: ${problem}; the TCP port still serves`);
    return { problem };
  }
}

/**
 * The request handler: a local client's request, a mounted route, else a hook event posted with the token, which a
 * caller on the socket needs not send. Every answer to a request carrying a nonce proves this is the home's monitor
 * (src/home/monitor-proof.ts): a client sends nothing else to a port before that.
 */
function hookRequests(opts: ServedHooksOptions, onSocket: boolean): http.RequestListener {
  const expected = Buffer.from(opts.token);
  return (req, res) => {
    const nonce = req.headers[NONCE_HEADER];
    if (typeof nonce === 'string' && NONCE.test(nonce))
      res.setHeader(PROOF_HEADER, monitorProof(opts.token, nonce, process.pid));
    const event = ROUTES[(req.url ?? '').split('?')[0] ?? ''];
    const foreign = foreignRequest(req.headers);
    if (foreign) {
      opts.log.warn({ event, reason: foreign }, 'served hook refused: not from a local client');
      req.resume();
      return send(res, 403, { error: `forbidden: ${foreign}` });
    }
    if (opts.mount?.(req, res)) return;
    if (req.method !== 'POST' || !event) return send(res, 404, { error: `not found: POST one of ${ROUTE_LIST}` });
    if (!onSocket && !tokenMatches(expected, req.headers[TOKEN_HEADER])) {
      opts.log.warn({ event }, 'served hook refused: missing or wrong X-Taskhooks-Token');
      req.resume();
      return send(res, 401, { error: `missing or wrong X-Taskhooks-Token (see ${shownHome(['hook-token'])})` });
    }
    const caller = callerOf(req, onSocket);
    void readJsonBody(req, MAX_BODY).then((body) => {
      if (body.kind === 'gone') return;
      if (body.kind === 'too-large') {
        opts.log.warn({ event }, 'served hook input over the size it reads');
        return send(res, 200, inAgentsShape(TOO_LARGE[event], event, caller), CLOSE);
      }
      if (body.kind === 'too-deep') {
        opts.log.warn({ event, maxDepth: body.maxDepth }, 'served hook input refused: nested past the bound it reads');
        if (event === 'pre-tool-use') return send(res, 200, inAgentsShape(denied(TOO_DEEP_REASON), event, caller));
        return send(res, 400, { error: `the hook input is refused: ${tooDeepReason(body.maxDepth)}` });
      }
      if (body.kind === 'not-json')
        return send(res, 400, { error: `the body must be the hook input as JSON: ${body.reason}` });
      opts.handle(event, body.value, caller).then(
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

/** A pid is taken from the socket only: there the caller is the home's owner, whose processes it names. */
function callerOf(req: http.IncomingMessage, onSocket: boolean): ServedCaller {
  const pid = Number(req.headers[AGENT_PID_HEADER]);
  const agent = AGENT_IDS.find((a) => a !== 'claude' && a === req.headers[AGENT_HEADER]);
  const named = req.headers[AGENT_EVENT_HEADER];
  return {
    ...(onSocket ? {} : { viaToken: true as const }),
    ...(onSocket && Number.isSafeInteger(pid) && pid > 1 ? { agentPid: pid } : {}),
    ...(agent ? { agent } : {}),
    ...(agent && typeof named === 'string' && /^[A-Za-z]{1,40}$/.test(named) ? { agentEvent: named } : {}),
  };
}
