// Where Qwen Code reads hooks: `.qwen/settings.json` of the project (in a trusted folder, when its folder trust is on)
// or `settings.json` of its own home ($QWEN_HOME, default ~/.qwen); timeouts in seconds. It has no channel that wakes
// an idle session.
import type { AgentConfig } from '../agent.js';
import { agentHome, mirroredBindings, settingsFileConfig } from '../config-home.js';
import { TOOLS } from './hooks.js';

export const qwenHome = agentHome('.qwen', 'QWEN_HOME');

export const qwenConfig: AgentConfig = settingsFileConfig({
  command: 'qwen',
  home: qwenHome,
  projectFolder: '.qwen',
  userRoot: qwenHome,
  bindings: mirroredBindings(
    {
      sessionStart: 'SessionStart',
      userPrompt: 'UserPromptSubmit',
      preTool: 'PreToolUse',
      postTool: 'PostToolUse',
      sessionEnd: 'SessionEnd',
    },
    TOOLS,
  ),
  timeoutUnitMs: 1000,
  httpUrlKey: 'httpUrl',
});
