// The MCP machinery behind POST /mcp and /mcp/live: the pooled servers, the transports and the live hub. Loaded by the
// first MCP request (http.ts), so a server that only answers health checks meanwhile (the monitor's store server while
// no session calls a tool) does not keep the MCP SDK and its web stack resident.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Logger } from '../log/logger.js';
import type { TaskStore } from '../store/index.js';
import type { Principal } from './principal.js';
import { createTaskServer, requestTools, sessionHeaders, type SessionPlace, type Tools } from './server.js';
import { PostTransport, postProblem } from './post-transport.js';
import { isModernRequest, modernExchange, type Exchange } from './modern.js';
import { createLiveHub } from './live.js';
import { carriedChanges } from './pushed-changes.js';
import { countToolCalls, rpcError, sendJson } from './http-admission.js';

export interface McpHandlingOptions {
  store: TaskStore;
  log: Logger;
  session: { tools?: Tools; place?: (req: IncomingMessage) => SessionPlace | undefined } | undefined;
}

export interface McpHandling {
  /**
   * A request to /mcp or /mcp/live from `principal`, authenticated and admitted already: `message` its body, none for
   * the live stream's GET.
   */
  handle(
    req: IncomingMessage,
    res: ServerResponse,
    principal: Principal,
    isLive: boolean,
    message: unknown,
  ): Promise<void>;
  close(): Promise<void>;
}

interface Pooled {
  server: McpServer;
  transport: PostTransport;
}

/**
 * Stateless HTTP needs one McpServer per in-flight request; building one (tool schemas included) costs more than
 * the typical tool call, so each stays connected to its own PostTransport and idle ones are kept per principal.
 */
function serverPool(
  store: TaskStore,
  log: Logger,
): { take(p: Principal, tools: Tools): Promise<Pooled>; give(p: Principal, tools: Tools, s: Pooled): void } {
  // A team's clients share one token: 128 of them over two processes keep 64 calls in flight in each, and a pool
  // smaller than that builds a server for every call past it (the team bench's 128 clients paid 10-13% CPU a call).
  const MAX_IDLE_PER_PRINCIPAL = 64;
  const MAX_PRINCIPALS = 256;
  const idle = new Map<string, Pooled[]>();
  const keyOf = (p: Principal, tools: Tools): string => [p.via, p.name, p.tools, tools].join('\u0000');
  const create = async (p: Principal, tools: Tools): Promise<Pooled> => {
    const server = createTaskServer({ store, log, principal: p, tools });
    const transport = new PostTransport();
    await server.connect(transport);
    return { server, transport };
  };
  return {
    take: async (p, tools) => idle.get(keyOf(p, tools))?.pop() ?? create(p, tools),
    give: (p, tools, pooled) => {
      const key = keyOf(p, tools);
      const list = idle.get(key) ?? (idle.size < MAX_PRINCIPALS ? [] : undefined);
      if (!list || list.length >= MAX_IDLE_PER_PRINCIPAL) {
        pooled.server.close().catch((err: unknown) => log.warn({ err }, 'closing a pooled task server failed'));
        return;
      }
      list.push(pooled);
      idle.set(key, list);
    },
  };
}

export function createMcpHandling(opts: McpHandlingOptions): McpHandling {
  const { store, log } = opts;
  const servers = serverPool(store, log);
  const live = createLiveHub({
    feed: (listener) => store.subscribeChanges(listener),
    carry: carriedChanges(store),
    log,
    createServer: (principal, subscriptions) => createTaskServer({ store, log, principal, subscriptions }),
  });
  return {
    close: () => live.close(),
    async handle(req, res, principal, isLive, message) {
      if (isLive) return live.handle(req, res, principal, message);
      const checked = postProblem(req, message);
      if ('problem' in checked)
        return sendJson(res, checked.problem.status, rpcError(checked.problem.code, checked.problem.message));
      const tools = requestTools(req, opts.session?.tools);
      const headers = sessionHeaders(req, tools, countToolCalls(message), opts.session?.place);
      const exchange: Exchange = async (messages) => {
        const pooled = await servers.take(principal, tools);
        // A client gone before the answer does not end the tool: the server goes back to the pool once it has answered.
        const responses = await pooled.transport.exchange(messages, { requestInfo: { headers } });
        servers.give(principal, tools, pooled);
        return responses;
      };
      const responses = isModernRequest(req)
        ? await modernExchange(checked.messages, exchange)
        : await exchange(checked.messages);
      if (responses.length === 0) res.writeHead(202).end();
      else sendJson(res, 200, responses.length === 1 ? responses[0] : responses);
    },
  };
}
