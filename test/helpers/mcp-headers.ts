// The headers Claude Code 2.1.330 sends its task tools' server: the stateless revision of MCP, which the monitor's
// store server answers a session's discover and tools/list for from its derived listing (src/server/modern.ts).
export const STATELESS_MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2026-07-28',
} as const;

/** The same without the version header: the earlier revision other agents speak, which a pooled server answers. */
export const EARLIER_MCP_HEADERS = {
  'content-type': STATELESS_MCP_HEADERS['content-type'],
  accept: STATELESS_MCP_HEADERS.accept,
} as const;
