// Whether OpenCode will load what install wrote into an opencode.json: taskhooks' plugin by its file URL, the node
// named in its options, and the task tools' server, each still where the config says (a moved or rebuilt checkout, a
// node removed by a version manager, leave OpenCode with a plugin it cannot load or a server it cannot start).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readJsonDoc } from '../install/json-doc.js';
import { MCP_SERVER_NAME } from '../hooks/hosts/mcp-tool-input.js';
import { isExecutable } from '../util/executable.js';
import { isJsonObject } from '../util/object.js';
import type { Approval } from './approval.js';

const PLUGIN = /^file:\/\/.*\/dist\/opencode-plugin\.js$/;

/** What is missing of taskhooks' plugin and server in `file`, or that both are ready. */
export function opencodeReadiness(file: string): Approval {
  const config = readJsonDoc(file).value;
  const entry = (Array.isArray(config.plugin) ? config.plugin : []).find((e: unknown) =>
    PLUGIN.test(String(Array.isArray(e) ? e[0] : e)),
  ) as unknown;
  const [spec, options] = Array.isArray(entry) ? entry : [entry, undefined];
  if (typeof spec !== 'string') return { approved: false, detail: `${file} names no taskhooks plugin` };
  const problems: string[] = [];
  const plugin = fileURLToPath(spec);
  if (!existsSync(plugin)) problems.push(`its plugin ${plugin} does not exist`);
  const node = isJsonObject(options) && typeof options.node === 'string' ? options.node : undefined;
  if (!node || !isExecutable(node)) problems.push(`the node it names (${node ?? 'none'}) cannot be run`);
  const server = isJsonObject(config.mcp) ? config.mcp[MCP_SERVER_NAME] : undefined;
  const command = isJsonObject(server) && Array.isArray(server.command) ? server.command : [];
  const script = command[1];
  if (typeof script === 'string' && !existsSync(script)) problems.push(`its task tools' ${script} does not exist`);
  if (problems.length > 0) return { approved: false, detail: `${file}: ${problems.join('; ')}` };
  return {
    approved: true,
    detail: `OpenCode loads the plugin ${plugin}${server ? ', and the task tools' : ''} (${file})`,
  };
}
