// Where GitHub Copilot CLI reads hooks: `*.json` in `.github/hooks/` of the repository (taskhooks writes
// `taskhooks.json`), loaded in a folder it trusts (in `-p` mode also with GITHUB_COPILOT_PROMPT_MODE_REPO_HOOKS=true);
// timeouts in seconds (`timeoutSec`). Its MCP servers are its user's, `mcp-config.json` of its home ($COPILOT_HOME,
// default ~/.copilot): one entry serves every project. It has no channel that wakes an idle session.
import path from 'node:path';
import type { AgentConfig } from '../agent.js';
import { agentHome, mirroredBindings, presenceOf } from '../config-home.js';

export const copilotHome = agentHome('.copilot', 'COPILOT_HOME');

export const copilotConfig: AgentConfig = {
  bindings: mirroredBindings({
    sessionStart: 'sessionStart',
    userPrompt: 'userPromptSubmitted',
    preTool: 'preToolUse',
    postTool: 'postToolUse',
    sessionEnd: 'sessionEnd',
  }),
  timeoutUnitMs: 1000,
  scopes: ['project'],
  userRoot: copilotHome,
  configFile: (_scope, projectDir) => path.join(projectDir, '.github', 'hooks', 'taskhooks.json'),
  idleWake: false,
  format: 'copilot',
  presence: presenceOf('copilot', copilotHome),
  mcp: {
    file: (_scope, _projectDir, env) => path.join(copilotHome(env), 'mcp-config.json'),
    userFile: (env) => path.join(copilotHome(env), 'mcp-config.json'),
    userLevel: true,
    entry: (command, args) => ({ type: 'local', command, args: [...args], tools: ['*'] }),
    httpEntry: (url, authorization) => ({ type: 'http', url, headers: { Authorization: authorization }, tools: ['*'] }),
  },
};
