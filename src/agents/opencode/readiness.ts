// Whether OpenCode will load what install wrote into an opencode.json, and that it is taskhooks' own: this taskhooks'
// plugin by its file URL, the node taskhooks runs on named in its options, and the task tools' server as install
// writes it. A moved or rebuilt checkout, a node removed by a version manager, or an entry under taskhooks' name that
// install did not write (a repository's own `mcp.taskhooks`) is named, never reported ready.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Approval, MCP_SERVER_NAME, type WiringJudge } from '../agent.js';
import { isJsonObject } from '../../util/object.js';
import { isTaskhooksPlugin, OPENCODE_PLUGIN_SCRIPT } from './config.js';

/** How many entries of the `plugin` list load a taskhooks plugin: each loads it once more. */
export function ownPlugins(config: Record<string, unknown>): number {
  const list: unknown[] = Array.isArray(config.plugin) ? config.plugin : [];
  return list.filter(isTaskhooksPlugin).length;
}

/** What is wrong with the plugin entry (`spec`, `options`) for this taskhooks (`judge.root`). */
function pluginProblems(spec: string, options: unknown, judge: WiringJudge): string[] {
  const problems: string[] = [];
  const plugin = fileURLToPath(spec);
  const own = pathToFileURL(`${judge.root}/${OPENCODE_PLUGIN_SCRIPT}`).href;
  if (!existsSync(plugin)) problems.push(`its plugin ${plugin} does not exist`);
  else if (spec !== own)
    problems.push(`its plugin ${plugin} is another taskhooks' than this one (${fileURLToPath(own)})`);
  const node = isJsonObject(options) && typeof options.node === 'string' ? options.node : undefined;
  if (!judge.isOwnNode(node))
    problems.push(`the node it names (${node ?? 'none'}) is not the one taskhooks runs on (${process.execPath})`);
  return problems;
}

/** What is wrong with the `plugin` list of `config` for this taskhooks, and the plugin's file when it names one. */
function pluginOf(config: Record<string, unknown>, judge: WiringJudge): { problems: string[]; plugin?: string } {
  if (!Array.isArray(config.plugin)) {
    const what = config.plugin === undefined ? 'names no taskhooks plugin' : `"plugin" is not a list`;
    return { problems: [what] };
  }
  const entry = config.plugin.find(isTaskhooksPlugin) as unknown;
  const [spec, options] = Array.isArray(entry) ? entry : [entry, undefined];
  if (typeof spec !== 'string') return { problems: ['names no taskhooks plugin'] };
  return { problems: pluginProblems(spec, options, judge), plugin: fileURLToPath(spec) };
}

/** What is missing or foreign of taskhooks' plugin and server in `file`, or that both are ready. */
export function opencodeReadiness(file: string, judge: WiringJudge): Approval {
  const config = judge.readJson(file);
  const { problems, plugin } = pluginOf(config, judge);
  const server = isJsonObject(config.mcp) ? config.mcp[MCP_SERVER_NAME] : undefined;
  const foreign = server === undefined ? undefined : judge.foreignServer(server);
  if (foreign) problems.push(`mcp.${MCP_SERVER_NAME}: ${foreign.detail}`);
  if (problems.length > 0) return { approved: false, detail: `${file}: ${problems.join('; ')}` };
  return {
    approved: true,
    detail: `OpenCode loads the plugin ${plugin}${server ? ', and the task tools' : ''} (${file})`,
  };
}
