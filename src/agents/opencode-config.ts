// Where OpenCode finds taskhooks: its `opencode.json` (the project's, or the user's in $XDG_CONFIG_HOME/opencode),
// whose `plugin` list names taskhooks' plugin with the node that runs taskhooks as its option, and whose `mcp` holds
// the task tools. The bindings are the plugin's: which OpenCode hook runs which entries. Its plugin can put a message
// into an idle session, so OpenCode is woken by news as Claude Code is.
import path from 'node:path';
import type { AgentConfig } from './agent.js';
import { homeDir } from './claude-config.js';
import { TOOLS } from './opencode.js';

/** OpenCode's own folder of user configuration. */
export function opencodeConfigDir(env: NodeJS.ProcessEnv): string {
  return path.join(env.XDG_CONFIG_HOME?.trim() || path.join(homeDir(env), '.config'), 'opencode');
}

export const opencodeConfig: AgentConfig = {
  bindings: [
    { event: 'experimental.chat.system.transform', matcher: '', hooks: ['session-start'] },
    { event: 'chat.message', matcher: '', hooks: ['user-prompt-submit'] },
    { event: 'tool.execute.before', matcher: Object.keys(TOOLS).join('|'), hooks: ['pre-tool-use'] },
    // After the call: the news, and the edit reminder, the one place before the next request its model reads it.
    { event: 'tool.execute.after', matcher: '', hooks: ['post-tool-use', 'pre-tool-use'] },
    { event: 'session.deleted', matcher: '', hooks: ['session-end'] },
  ],
  timeoutUnitMs: 1000,
  scopes: ['project', 'user'],
  userRoot: opencodeConfigDir,
  configFile(scope, projectDir, env) {
    return scope === 'user'
      ? path.join(opencodeConfigDir(env), 'opencode.json')
      : path.join(projectDir, 'opencode.json');
  },
  idleWake: true,
  presence: { command: 'opencode', dirs: (env) => [opencodeConfigDir(env)] },
};
