// Where OpenCode finds taskhooks: its `opencode.json` (the project's, or the user's in $XDG_CONFIG_HOME/opencode),
// whose `plugin` list names taskhooks' plugin with the node that runs taskhooks as its option; the task tools are
// `mcp.taskhooks` of the user's own opencode.json, whatever the plugin's scope. The bindings are the plugin's: which
// OpenCode hook runs which entries. Its plugin can put a message into an idle session, so OpenCode is woken by news as
// Claude Code is.
import path from 'node:path';
import type { AgentConfig } from '../agent.js';
import { agentHome, homeOrProjectFile, mirroredBindings, presenceOf } from '../config-home.js';
import { TOOLS } from './hooks.js';

/** The built plugin OpenCode loads, in taskhooks' package folder. */
export const OPENCODE_PLUGIN_SCRIPT = 'dist/opencode-plugin.js';

/** An entry of an opencode.json's `plugin` list that loads a taskhooks plugin (this checkout's or another's). */
export function isTaskhooksPlugin(entry: unknown): boolean {
  const spec = Array.isArray(entry) ? entry[0] : entry;
  return typeof spec === 'string' && spec.startsWith('file://') && spec.endsWith(`/${OPENCODE_PLUGIN_SCRIPT}`);
}

/** OpenCode's own folder of user configuration. */
export function opencodeConfigDir(env: NodeJS.ProcessEnv): string {
  return path.join(agentHome('.config', 'XDG_CONFIG_HOME')(env), 'opencode');
}

const configFile = homeOrProjectFile(opencodeConfigDir, 'opencode.json', 'opencode.json');

export const opencodeConfig: AgentConfig = {
  bindings: mirroredBindings(
    {
      sessionStart: 'experimental.chat.system.transform',
      userPrompt: 'chat.message',
      preTool: 'tool.execute.before',
      postTool: 'tool.execute.after',
      sessionEnd: 'session.deleted',
    },
    TOOLS,
    { remindAfter: true },
  ),
  timeoutUnitMs: 1000,
  scopes: ['project', 'user'],
  userRoot: opencodeConfigDir,
  configFile,
  idleWake: true,
  presence: presenceOf('opencode', opencodeConfigDir),
  mcp: {
    file: configFile,
    userFile: (env) => path.join(opencodeConfigDir(env), 'opencode.json'),
    userLevel: false,
    table: 'mcp',
    entry: (command, args) => ({ type: 'local', command: [command, ...args], enabled: true }),
    // `oauth: false`: a refused token is an error at once, not OpenCode's OAuth discovery and a browser login.
    httpEntry: (url, authorization) => ({
      type: 'remote',
      url,
      headers: { Authorization: authorization },
      oauth: false,
      enabled: true,
    }),
  },
};
