// MCP over stdio as raw lines, for a test that drives a server without the SDK's client (a bridge told its session's
// start by argument, a server whose stdin is a file): one message a line, and the handshake a client opens with.

/** One JSON-RPC message as a line: a request with `id`, a notification without. */
export function rpcLine(id: number | undefined, method: string, params: object = {}): string {
  return `${JSON.stringify({ jsonrpc: '2.0', ...(id === undefined ? {} : { id }), method, params })}\n`;
}

/** initialize (request 1) and its notification, as a client opens a session. */
export const HANDSHAKE =
  rpcLine(1, 'initialize', {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'cc', version: '0' },
  }) + rpcLine(undefined, 'notifications/initialized');
