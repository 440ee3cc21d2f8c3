// The stateless revision of MCP (2026-07-28) beside the one the SDK speaks. A client that asks `server/discover`
// learns the capabilities in one request and skips initialize, its notification and the GET stream: three round trips
// Claude Code otherwise waits for before a session's first model request. Every other request of that revision goes
// to the same pooled servers, which keep no state either; its result is marked complete, lists with a cache hint.
import type { IncomingMessage } from 'node:http';
import { SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { serverInfo } from './server.js';
import { isJsonObject } from '../util/object.js';

export const MODERN_PROTOCOL_VERSIONS: readonly string[] = ['2026-07-28'];

/** Every version a request's `mcp-protocol-version` header may name here. */
export const SERVED_PROTOCOL_VERSIONS: readonly string[] = [
  ...MODERN_PROTOCOL_VERSIONS,
  ...SUPPORTED_PROTOCOL_VERSIONS,
];

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
