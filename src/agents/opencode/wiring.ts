// taskhooks' plugin in an opencode.json's `plugin` list: the built plugin by file URL, with the node that runs taskhooks
// as its option, merged in place and taken out again; the user's plugins and every other key keep their place. The
// task tools are an agent's MCP server like any other's (`mcp.taskhooks` of the user's own file, src/install/planning/plan.ts).
import { pathToFileURL } from 'node:url';
import type { ListAt, PluginWiring } from '../agent.js';
import { isTaskhooksPlugin as isOurPlugin, OPENCODE_PLUGIN_SCRIPT } from './config.js';

type JsonObject = Record<string, unknown>;

export type OpencodeWiring = PluginWiring;

export function opencodeWiring(node: string, root: string): OpencodeWiring {
  return { plugin: [pathToFileURL(`${root}/${OPENCODE_PLUGIN_SCRIPT}`).href, { node }] };
}

/** Whether the config loads taskhooks' plugin: the project or user is wired for OpenCode. */
export function hasOpencodeWiring(config: JsonObject): boolean {
  return Array.isArray(config.plugin) && config.plugin.some(isOurPlugin);
}

function withPlugin(list: readonly unknown[] | undefined, entry: OpencodeWiring['plugin'] | undefined): unknown[] {
  const before = list ?? [];
  const at = before.findIndex(isOurPlugin);
  const rest = before.filter((e) => !isOurPlugin(e));
  if (!entry) return rest;
  rest.splice(at < 0 ? rest.length : at, 0, entry);
  return rest;
}

/** The config with taskhooks' plugin set to `wiring`, in its place in the `plugin` list, else at its end. */
export function withOpencodeWiring(config: JsonObject, wiring: OpencodeWiring, listAt: ListAt): JsonObject {
  return withPluginList(config, withPlugin(listAt(config, 'plugin'), wiring.plugin));
}

/** The config with taskhooks' plugin taken out; a `plugin` that is no list stays as it is. */
export function withoutOpencodeWiring(config: JsonObject): JsonObject {
  return Array.isArray(config.plugin) ? withPluginList(config, withPlugin(config.plugin, undefined)) : { ...config };
}

function withPluginList(config: JsonObject, plugins: unknown[]): JsonObject {
  const value: JsonObject = { ...config };
  if (plugins.length > 0) value.plugin = plugins;
  else delete value.plugin;
  return value;
}
