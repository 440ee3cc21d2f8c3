// Where Gemini CLI reads hooks: `.gemini/settings.json` of a trusted project, or `~/.gemini/settings.json`; timeouts
// in milliseconds. It has no channel that wakes an idle session.
import path from 'node:path';
import { settingsMcp, type AgentConfig } from './agent.js';
import { homeDir } from './claude-config.js';
import { TOOLS } from './gemini.js';

export const geminiConfig: AgentConfig = {
  bindings: [
    { event: 'SessionStart', matcher: '', hooks: ['session-start'] },
    { event: 'BeforeAgent', matcher: '', hooks: ['user-prompt-submit'] },
    { event: 'BeforeTool', matcher: Object.keys(TOOLS).join('|'), hooks: ['pre-tool-use'] },
    // After the call: the news, and the edit reminder, the one place before the next request its model reads it.
    { event: 'AfterTool', matcher: '', hooks: ['post-tool-use', 'pre-tool-use'] },
    { event: 'SessionEnd', matcher: '', hooks: ['session-end'] },
  ],
  timeoutUnitMs: 1,
  scopes: ['project', 'user'],
  userRoot: homeDir,
  configFile(scope, projectDir, env) {
    return scope === 'user'
      ? path.join(homeDir(env), '.gemini', 'settings.json')
      : path.join(projectDir, '.gemini', 'settings.json');
  },
  idleWake: false,
  mcp: settingsMcp((scope, projectDir, env) => geminiConfig.configFile(scope, projectDir, env)),
  presence: { command: 'gemini', dirs: (env) => [path.join(homeDir(env), '.gemini')] },
};
