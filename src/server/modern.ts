// The stateless revision of MCP (2026-07-28) beside the one the SDK speaks. A client that asks `server/discover`
// learns the capabilities in one request and skips initialize, its notification and the GET stream: three round trips
// Claude Code otherwise waits for before a session's first model request. Its first tools/list of the session's tools
// is answered here too, from the listing `npm run derive` took from the server (session-listing.json), so neither
// loads the SDK. Every other request of that revision goes to the same pooled servers, which keep no state either;
// its result is marked complete, lists with a cache hint.
import type { IncomingMessage } from 'node:http';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { isJsonContentType } from '@modelcontextprotocol/sdk/shared/mediaType.js';
import { z } from 'zod';
import { isJsonObject } from '../util/object.js';
import { packageVersion } from '../util/package.js';
import listing from './session-listing.json' with { type: 'json' };
import { SESSION, type Tools } from './tools/tool-families.js';

export const MODERN_PROTOCOL_VERSIONS: readonly string[] = ['2026-07-28'];

/** Every version a request's `mcp-protocol-version` header may name here: the SDK's as derived, without loading it. */
export const SERVED_PROTOCOL_VERSIONS: readonly string[] = [
  ...MODERN_PROTOCOL_VERSIONS,
  ...listing.earlierProtocolVersions,
];

/** A refusal as the SDK's transport words it: HTTP status, JSON-RPC code and message. */
export interface PostProblem {
  status: number;
  code: number;
  message: string;
}

/**
 * The SDK transport's first checks of a POST, on its headers alone (post-transport.ts makes the rest): here, so that
 * the derived listing answers only what the pooled servers would, without loading them.
 */
export function mediaProblem(req: IncomingMessage): PostProblem | undefined {
  const accept = req.headers.accept;
  if (!accept?.includes('application/json') || !accept.includes('text/event-stream'))
    return {
      status: 406,
      code: -32000,
      message: 'Not Acceptable: Client must accept both application/json and text/event-stream',
    };
  if (!isJsonContentType(req.headers['content-type']))
    return { status: 415, code: -32000, message: 'Unsupported Media Type: Content-Type must be application/json' };
  return undefined;
}

/** How the task server names itself, to a client of either revision of the protocol. */
export const serverInfo = () => ({ name: 'taskhooks-reference', version: packageVersion() });

/** Hands messages to a server of the earlier revision and returns its responses. */
export type Exchange = (messages: JSONRPCMessage[]) => Promise<JSONRPCMessage[]>;

const LISTS = new Set(['tools/list', 'resources/list', 'resources/templates/list', 'prompts/list']);

/** Whether the request speaks the stateless revision (its header names it, as that revision requires). */
export function isModernRequest(req: IncomingMessage): boolean {
  const version = req.headers['mcp-protocol-version'];
  return typeof version === 'string' && MODERN_PROTOCOL_VERSIONS.includes(version);
}

/**
 * What `server/discover` answers: the tools only. The task resources stay with the earlier revision's clients and
 * /mcp/live, so a session does not list them before its first request.
 */
export function discoverResult(): Record<string, unknown> {
  return {
    resultType: 'complete',
    supportedVersions: SERVED_PROTOCOL_VERSIONS,
    capabilities: { tools: {} },
    ttlMs: 0,
    cacheScope: 'private',
    _meta: { 'io.modelcontextprotocol/serverInfo': serverInfo() },
  };
}

/**
 * Answers a POST of the stateless revision: `server/discover` here, everything else by `exchange` (a pooled server),
 * the responses in the requests' order.
 */
export async function modernExchange(
  messages: readonly JSONRPCMessage[],
  exchange: Exchange,
): Promise<JSONRPCMessage[]> {
  const isDiscover = (m: JSONRPCMessage) => 'method' in m && m.method === 'server/discover' && 'id' in m;
  const passed = messages.filter((m) => !isDiscover(m));
  const answered = passed.length > 0 ? await exchange(passed) : [];
  const byId = new Map(answered.map((r) => ['id' in r ? r.id : undefined, r]));
  const out: JSONRPCMessage[] = [];
  for (const m of messages) {
    if (!('method' in m) || !('id' in m)) continue;
    if (isDiscover(m)) out.push({ jsonrpc: '2.0', id: m.id, result: discoverResult() });
    else {
      const response = byId.get(m.id);
      if (response) out.push(completed(m.method, response));
    }
  }
  return out;
}

function completed(method: string, response: JSONRPCMessage): JSONRPCMessage {
  if (!('result' in response) || !isJsonObject(response.result)) return response;
  const hints = LISTS.has(method) ? { ttlMs: 0, cacheScope: 'private' } : {};
  return { ...response, result: { resultType: 'complete', ...hints, ...response.result } };
}

/** A request the derived listing answers: discover, or a first page of tools/list, with nothing else asked. */
const ListedAtOnce = z.strictObject({
  jsonrpc: z.literal('2.0'),
  id: z.union([z.string(), z.number().int()]),
  method: z.enum(['server/discover', 'tools/list']),
  params: z.strictObject({ _meta: z.record(z.string(), z.unknown()).optional() }).optional(),
});

/**
 * The answer to a stateless client's `server/discover` or first tools/list of the session's tools, from the listing
 * `npm run derive` took from the server (session-listing.json): the session's first requests, and a cold monitor's
 * first, load no MCP SDK. Undefined for anything else, which the pooled servers answer, refusals included.
 */
export function answeredAtOnce(req: IncomingMessage, body: unknown, tools: Tools): JSONRPCMessage | undefined {
  if (!isModernRequest(req) || tools.join() !== SESSION.join() || mediaProblem(req)) return undefined;
  const asked = ListedAtOnce.safeParse(body);
  if (!asked.success) return undefined;
  const { id, method } = asked.data;
  if (method === 'server/discover') return { jsonrpc: '2.0', id, result: discoverResult() };
  return completed(method, { jsonrpc: '2.0', id, result: listing.sessionToolsList });
}
