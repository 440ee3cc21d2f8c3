// taskhooks in an opencode.json: its plugin in the `plugin` list (the built plugin by file URL, with the node that runs
// taskhooks as its option) and its task tools under `mcp.taskhooks` (`taskhooks mcp`, which OpenCode starts), merged
// in place and taken out again; the user's plugins, servers and every other key keep their place.
import { pathToFileURL } from 'node:url';
import type { JsonObject } from './json-doc.js';
import { isJsonObject } from '../util/object.js';
import { MCP_SERVER_NAME } from '../hooks/hosts/mcp-tool-input.js';
import { foreignEntry, listAt, objectAt } from './refusals.js';

const PLUGIN_FILE = '/dist/opencode-plugin.js';

export interface OpencodeWiring {
  plugin: [string, { node: string }];
  /** The task tools: set where taskhooks serves them (the embedded store). */
  mcp?: { type: 'local'; command: string[]; enabled: true };
}

export function opencodeWiring(node: string, root: string, withTools: boolean): OpencodeWiring {
  return {
    plugin: [pathToFileURL(`${root}${PLUGIN_FILE}`).href, { node }],
    ...(withTools ? { mcp: { type: 'local', command: [node, `${root}/dist/cli.js`, 'mcp'], enabled: true } } : {}),
  };
}

/** A `plugin` entry taskhooks wrote: its built plugin, by itself or with options. */
function isOurPlugin(entry: unknown): boolean {
  const spec = Array.isArray(entry) ? entry[0] : entry;
  return typeof spec === 'string' && spec.startsWith('file://') && spec.endsWith(PLUGIN_FILE);
}

/** An `mcp` entry taskhooks wrote: OpenCode starting taskhooks' CLI as `… dist/cli.js mcp`. */
function isOurServer(entry: unknown): boolean {
  if (!isJsonObject(entry) || entry.type !== 'local' || !Array.isArray(entry.command)) return false;
  const [, script, sub] = entry.command as unknown[];
  return typeof script === 'string' && script.endsWith('/dist/cli.js') && sub === 'mcp';
}

export function hasOpencodeWiring(config: JsonObject): boolean {
  return (
    (Array.isArray(config.plugin) && config.plugin.some(isOurPlugin)) ||
    (isJsonObject(config.mcp) && isOurServer(config.mcp[MCP_SERVER_NAME]))
  );
}

function withPlugin(list: readonly unknown[] | undefined, entry: OpencodeWiring['plugin'] | undefined): unknown[] {
  const before = list ?? [];
  const at = before.findIndex(isOurPlugin);
  const rest = before.filter((e) => !isOurPlugin(e));
  if (!entry) return rest;
  rest.splice(at < 0 ? rest.length : at, 0, entry);
  return rest;
}

/**
 * The config with taskhooks' plugin and server set to `wiring` (or both taken out when it is undefined). Set, a
 * `plugin` that is not a list, an `mcp` that is not an object, or a server under the name that install did not write
 * is refused naming the fix; taken out, each of them stays as it is.
 */
export function withOpencodeWiring(config: JsonObject, wiring?: OpencodeWiring): JsonObject {
  const value: JsonObject = { ...config };
  const list = wiring ? listAt(config, 'plugin') : Array.isArray(config.plugin) ? config.plugin : undefined;
  if (list !== undefined || wiring) {
    const plugins = withPlugin(list, wiring?.plugin);
    if (plugins.length > 0) value.plugin = plugins;
    else delete value.plugin;
  }
  const servers = wiring ? objectAt(config, 'mcp') : isJsonObject(config.mcp) ? config.mcp : undefined;
  if (config.mcp !== undefined && !servers) return value; // not ours to interpret
  const existing = servers?.[MCP_SERVER_NAME];
  if (existing !== undefined && !isOurServer(existing)) {
    if (wiring?.mcp) throw foreignEntry(`mcp.${MCP_SERVER_NAME}`, existing);
    return value;
  }
  const next: JsonObject = { ...(servers ?? {}) };
  if (wiring?.mcp) next[MCP_SERVER_NAME] = wiring.mcp;
  else delete next[MCP_SERVER_NAME];
  if (Object.keys(next).length > 0) value.mcp = next;
  else delete value.mcp;
  return value;
}
