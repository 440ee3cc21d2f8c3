// taskhooks in the project's .mcp.json: over the embedded store, the tools Claude Code itself lists and updates tasks
// with, served by the monitor that already runs (http) or by `taskhooks mcp` (stdio), which under the mcp transport
// is also the server the hooks call on every tool call.
import { readJsonDoc, type JsonObject } from '../../files/json-doc.js';
import { isJsonObject } from '../../util/object.js';
import { SERVED_URL, type LocalHttpServer } from '../../agents/claude/claude-json.js';
import { MCP_SERVERS_KEY } from '../../agents/agent.js';
import { MCP_SERVER_NAME } from '../../hooks/hosts/mcp-tool-input.js';
import { foreignEntry, objectAt, refusingIn } from '../planning/refusals.js';
import { packageFile } from './command-hook.js';

export type { LocalHttpServer };
/** The monitor's store server's http entry, built where Claude Code's local scope keeps it (every agent's shape). */
export { localMcpEntry } from '../../agents/claude/claude-json.js';

export interface StdioServer {
  type: 'stdio';
  command: string;
  args: string[];
}

/** An earlier install's entry for the monitor's store server, its token read by a helper: recognised, to move it out. */
export interface HttpServer {
  type: 'http';
  url: string;
  headersHelper: string;
}

export type TaskhooksServer = StdioServer | HttpServer;

const HEADERS_HELPER = /^printf '\{"Authorization":"Bearer %s"\}' "\$\(cat '[^']+\/hook-token'\)"$/;

/** Where an entry for the monitor's store server points, and the header it sends. */
export interface StoreServerTarget {
  url: string;
  authorization: string;
}

/**
 * An entry for the monitor's store server in any agent's shape, as its URL and bearer header: the URL at `url` (Gemini
 * CLI's and Qwen Code's `httpUrl`), the header in `headers` (Codex's `http_headers`), beside Copilot CLI's `type` and
 * `tools` and OpenCode's `type: "remote"`; undefined for any other entry.
 */
export function storeServerOf(entry: unknown): StoreServerTarget | undefined {
  if (!isJsonObject(entry)) return undefined;
  const url = entry.url ?? entry.httpUrl;
  const headers = entry.headers ?? entry.http_headers;
  if (
    typeof url === 'string' &&
    SERVED_URL.test(url) &&
    isJsonObject(headers) &&
    typeof headers.Authorization === 'string' &&
    headers.Authorization.startsWith('Bearer ') &&
    (entry.type === undefined || entry.type === 'http' || entry.type === 'remote')
  )
    return { url, authorization: headers.Authorization };
  return undefined;
}

/** Whether the entry is one for the monitor's store server, in any agent's shape. */
export const isStoreServerEntry = (entry: unknown): boolean => storeServerOf(entry) !== undefined;

/** taskhooks' CLI in its package folder `root`, as `platform` writes the path. */
export const cliScript = (root: string, platform: NodeJS.Platform = process.platform): string =>
  packageFile(root, 'dist/cli.js', platform);

/** `taskhooks mcp` over stdio, by absolute paths: Claude Code starts it with whatever PATH it has. */
export function mcpServerEntry(node: string, root: string, platform: NodeJS.Platform = process.platform): StdioServer {
  return { type: 'stdio', command: node, args: [cliScript(root, platform), 'mcp'] };
}

/** A server entry's command line: `command` and `args`, or OpenCode's one `command` list. */
export function argvOf(entry: JsonObject): unknown[] {
  const { command } = entry;
  if (Array.isArray(command)) return command;
  return [command, ...(Array.isArray(entry.args) ? entry.args : [])];
}

/** An entry taskhooks wrote: under its name, running taskhooks' CLI or reaching its monitor with its token. */
export function isTaskhooksServer(entry: unknown): boolean {
  if (!isJsonObject(entry)) return false;
  if (isStoreServerEntry(entry)) return true;
  if (entry.type === 'http')
    return (
      typeof entry.url === 'string' &&
      SERVED_URL.test(entry.url) &&
      typeof entry.headersHelper === 'string' &&
      HEADERS_HELPER.test(entry.headersHelper)
    );
  // `taskhooks mcp` as `command` and `args`, or as OpenCode's one `command` list after the node.
  const [, script, sub] = argvOf(entry);
  return typeof script === 'string' && script.endsWith('/dist/cli.js') && sub === 'mcp';
}

/**
 * Refuses, naming it, a server under taskhooks' name in `file` (.mcp.json, or an agent's file whose servers are under
 * `table`) that install did not write.
 */
export function refuseForeignServer(file: string, table = MCP_SERVERS_KEY): void {
  const { value } = readJsonDoc(file);
  const servers = value[table];
  const present = isJsonObject(servers) ? servers[MCP_SERVER_NAME] : undefined;
  if (present !== undefined && !isTaskhooksServer(present))
    refusingIn(file, () => {
      throw foreignEntry(`${table}.${MCP_SERVER_NAME}`, present);
    });
}

export function hasTaskhooksServer(mcp: JsonObject, table = MCP_SERVERS_KEY): boolean {
  const servers = mcp[table];
  return isJsonObject(servers) && isTaskhooksServer(servers[MCP_SERVER_NAME]);
}

/**
 * `.mcp.json` (or an agent's file of servers under `table`) with taskhooks' server set, or removed when `entry` is
 * undefined. A server under the name that install did not write is refused when one is to be set (a repository's own
 * could run anything), and stays on removal; so does a table that is not an object.
 */
export function withTaskhooksServer(
  mcp: JsonObject,
  entry?: TaskhooksServer | JsonObject,
  table = MCP_SERVERS_KEY,
): JsonObject {
  const held = mcp[table];
  const servers = entry ? objectAt(mcp, table) : isJsonObject(held) ? held : undefined;
  const existing = servers?.[MCP_SERVER_NAME];
  if (existing !== undefined && !isTaskhooksServer(existing)) {
    if (entry) throw foreignEntry(`${table}.${MCP_SERVER_NAME}`, existing);
    return mcp;
  }
  const nextServers: JsonObject = { ...(servers ?? {}) };
  if (entry) nextServers[MCP_SERVER_NAME] = entry;
  else delete nextServers[MCP_SERVER_NAME];
  const value: JsonObject = { ...mcp };
  if (Object.keys(nextServers).length > 0) value[table] = nextServers;
  else if (servers && Object.keys(servers).length > 0) delete value[table];
  return value;
}
