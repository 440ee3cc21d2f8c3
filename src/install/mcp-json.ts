// `taskhooks mcp` in the project's .mcp.json: the server the hooks call on every tool call (no process each) and,
// over the embedded store, the tools Claude Code itself lists and updates tasks with.
import type { JsonObject } from './json-doc.js';
import { isJsonObject } from '../util/object.js';
import { MCP_SERVER_NAME } from '../hooks/hosts/mcp-tool-input.js';

export interface StdioServer {
  type: 'stdio';
  command: string;
  args: string[];
}

/** `taskhooks mcp` over stdio, by absolute paths: Claude Code starts it with whatever PATH it has. */
export function mcpServerEntry(node: string, root: string): StdioServer {
  return { type: 'stdio', command: node, args: [`${root}/dist/cli.js`, 'mcp'] };
}

/** An entry taskhooks wrote: under its name and running taskhooks' CLI. */
function isOurs(entry: unknown): boolean {
  if (!isJsonObject(entry) || !Array.isArray(entry.args)) return false;
  const [script, sub] = entry.args as unknown[];
  return typeof script === 'string' && script.endsWith('/dist/cli.js') && sub === 'mcp';
}

export function hasTaskhooksServer(mcp: JsonObject): boolean {
  return isJsonObject(mcp.mcpServers) && isOurs(mcp.mcpServers[MCP_SERVER_NAME]);
}

/**
 * `.mcp.json` with taskhooks' server set (or removed when `entry` is undefined). A different server the user named
 * "taskhooks" is theirs and stays: install reports it instead of overwriting it.
 */
export function withTaskhooksServer(mcp: JsonObject, entry?: StdioServer): { value: JsonObject; conflict: boolean } {
  const servers = isJsonObject(mcp.mcpServers) ? mcp.mcpServers : undefined;
  const existing = servers?.[MCP_SERVER_NAME];
  if (existing !== undefined && !isOurs(existing)) return { value: mcp, conflict: entry !== undefined };
  const nextServers: JsonObject = { ...(servers ?? {}) };
  if (entry) nextServers[MCP_SERVER_NAME] = entry;
  else delete nextServers[MCP_SERVER_NAME];
  const value: JsonObject = { ...mcp };
  if (Object.keys(nextServers).length > 0) value.mcpServers = nextServers;
  else if (servers && Object.keys(servers).length > 0) delete value.mcpServers;
  return { value, conflict: false };
}
