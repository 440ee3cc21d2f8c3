// Where OpenCode finds taskhooks: its `opencode.json` (the project's, or the user's in $XDG_CONFIG_HOME/opencode),
// whose `plugin` list names taskhooks' plugin with the node that runs taskhooks as its option, and whose `mcp` holds
// the task tools. The bindings are the plugin's: which OpenCode hook runs which entries. Its plugin can put a message
// into an idle session, so OpenCode is woken by news as Claude Code is.
import path from 'node:path';
import type { AgentConfig } from './agent.js';
import { agentHome, homeOrProjectFile, mirroredBindings, presenceOf } from './config-home.js';
import { TOOLS } from './opencode.js';

/** OpenCode's own folder of user configuration. */
export function opencodeConfigDir(env: NodeJS.ProcessEnv): string {
  return path.join(agentHome('.config', 'XDG_CONFIG_HOME')(env), 'opencode');
}

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
  configFile: homeOrProjectFile(opencodeConfigDir, 'opencode.json', 'opencode.json'),
  idleWake: true,
  presence: presenceOf('opencode', opencodeConfigDir),
};
