// taskhooks' plugin in an opencode.json's `plugin` list: the built plugin by file URL, with the node that runs taskhooks
// as its option, merged in place and taken out again; the user's plugins and every other key keep their place. The
// task tools are an agent's MCP server like any other's (`mcp.taskhooks` of the user's own file, ./plan.ts).
import { pathToFileURL } from 'node:url';
import { isTaskhooksPlugin as isOurPlugin, OPENCODE_PLUGIN_SCRIPT } from '../agents/opencode/config.js';
import type { JsonObject } from './json-doc.js';
import { listAt } from './refusals.js';

export interface OpencodeWiring {
  plugin: [string, { node: string }];
}

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

/**
 * The config with taskhooks' plugin set to `wiring` (or taken out when it is undefined). Set, a `plugin` that is not a
 * list is refused naming the fix; taken out, it stays as it is.
 */
export function withOpencodeWiring(config: JsonObject, wiring?: OpencodeWiring): JsonObject {
  const value: JsonObject = { ...config };
  const list = wiring ? listAt(config, 'plugin') : Array.isArray(config.plugin) ? config.plugin : undefined;
  if (list === undefined && !wiring) return value;
  const plugins = withPlugin(list, wiring?.plugin);
  if (plugins.length > 0) value.plugin = plugins;
  else delete value.plugin;
  return value;
}
