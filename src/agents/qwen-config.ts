// Where Qwen Code reads hooks: `.qwen/settings.json` of the project (in a trusted folder, when its folder trust is on)
// or `settings.json` of its own home ($QWEN_HOME, default ~/.qwen); timeouts in seconds. It has no channel that wakes
// an idle session.
import path from 'node:path';
import { settingsMcp, type AgentConfig } from './agent.js';
import { homeDir } from './claude-config.js';
import { TOOLS } from './qwen.js';

export function qwenHome(env: NodeJS.ProcessEnv): string {
  return env.QWEN_HOME?.trim() || path.join(homeDir(env), '.qwen');
}

export const qwenConfig: AgentConfig = {
  bindings: [
    { event: 'SessionStart', matcher: '', hooks: ['session-start'] },
    { event: 'UserPromptSubmit', matcher: '', hooks: ['user-prompt-submit'] },
    { event: 'PreToolUse', matcher: Object.keys(TOOLS).join('|'), hooks: ['pre-tool-use'] },
    // After the call: the news, and the edit reminder, the one place before the next request its model reads it.
    { event: 'PostToolUse', matcher: '', hooks: ['post-tool-use', 'pre-tool-use'] },
    { event: 'SessionEnd', matcher: '', hooks: ['session-end'] },
  ],
  timeoutUnitMs: 1000,
  scopes: ['project', 'user'],
  userRoot: qwenHome,
  configFile(scope, projectDir, env) {
    return scope === 'user'
      ? path.join(qwenHome(env), 'settings.json')
      : path.join(projectDir, '.qwen', 'settings.json');
  },
  idleWake: false,
  mcp: settingsMcp((scope, projectDir, env) => qwenConfig.configFile(scope, projectDir, env)),
  presence: { command: 'qwen', dirs: (env) => [qwenHome(env)] },
};
