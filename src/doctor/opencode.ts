// Whether OpenCode will load what install wrote into an opencode.json, and that it is taskhooks' own: this taskhooks'
// plugin by its file URL, the node taskhooks runs on named in its options, and the task tools' server as install
// writes it. A moved or rebuilt checkout, a node removed by a version manager, or an entry under taskhooks' name that
// install did not write (a repository's own `mcp.taskhooks`) is named, never reported ready.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readJsonDoc } from '../install/json-doc.js';
import { foreignServer, isOwnNode } from '../install/own-wiring.js';
import { MCP_SERVER_NAME } from '../hooks/hosts/mcp-tool-input.js';
import { isJsonObject } from '../util/object.js';
import { packageRoot } from '../util/package.js';
import type { Approval } from './approval.js';

const PLUGIN = /^file:\/\/.*\/dist\/opencode-plugin\.js$/;

/** How many entries of the `plugin` list load a taskhooks plugin: each loads it once more. */
export function ownPlugins(config: Record<string, unknown>): number {
  const list: unknown[] = Array.isArray(config.plugin) ? config.plugin : [];
  return list.filter((e) => PLUGIN.test(String(Array.isArray(e) ? e[0] : e))).length;
}

/** What is wrong with the plugin entry (`spec`, `options`) for this taskhooks at `root`. */
function pluginProblems(spec: string, options: unknown, root: string): string[] {
  const problems: string[] = [];
  const plugin = fileURLToPath(spec);
  const own = pathToFileURL(`${root}/dist/opencode-plugin.js`).href;
  if (!existsSync(plugin)) problems.push(`its plugin ${plugin} does not exist`);
  else if (spec !== own)
    problems.push(`its plugin ${plugin} is another taskhooks' than this one (${fileURLToPath(own)})`);
  const node = isJsonObject(options) && typeof options.node === 'string' ? options.node : undefined;
  if (!isOwnNode(node))
    problems.push(`the node it names (${node ?? 'none'}) is not the one taskhooks runs on (${process.execPath})`);
  return problems;
}

/** What is wrong with the `plugin` list of `config` for taskhooks at `root`, and the plugin's file when it names one. */
function pluginOf(config: Record<string, unknown>, root: string): { problems: string[]; plugin?: string } {
  if (!Array.isArray(config.plugin)) {
    const what = config.plugin === undefined ? 'names no taskhooks plugin' : `"plugin" is not a list`;
    return { problems: [what] };
  }
  const entry = config.plugin.find((e: unknown) => PLUGIN.test(String(Array.isArray(e) ? e[0] : e))) as unknown;
  const [spec, options] = Array.isArray(entry) ? entry : [entry, undefined];
  if (typeof spec !== 'string') return { problems: ['names no taskhooks plugin'] };
  return { problems: pluginProblems(spec, options, root), plugin: fileURLToPath(spec) };
}

/** What is missing or foreign of taskhooks' plugin and server in `file` (for taskhooks at `root`), or that both are ready. */
export function opencodeReadiness(file: string, root = packageRoot()): Approval {
  const config = readJsonDoc(file).value;
  const { problems, plugin } = pluginOf(config, root);
  const server = isJsonObject(config.mcp) ? config.mcp[MCP_SERVER_NAME] : undefined;
  const foreign = server === undefined ? undefined : foreignServer(server, root);
  if (foreign) problems.push(`mcp.${MCP_SERVER_NAME}: ${foreign.detail}`);
  if (problems.length > 0) return { approved: false, detail: `${file}: ${problems.join('; ')}` };
  return {
    approved: true,
    detail: `OpenCode loads the plugin ${plugin}${server ? ', and the task tools' : ''} (${file})`,
  };
}
