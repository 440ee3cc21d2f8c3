// Every agent taskhooks serves, whole: its hook side and its configuration side (install, uninstall, doctor).
import type { AgentAdapter, AgentId } from './agent.js';
import { claudeConfig } from './claude/config.js';
import { codexConfig } from './codex/config.js';
import { geminiConfig } from './gemini/config.js';
import { qwenConfig } from './qwen/config.js';
import { copilotConfig } from './copilot/config.js';
import { AGENT_HOOKS } from './hooks.js';
import { opencodeConfig } from './opencode/config.js';

export const AGENTS: Readonly<Record<AgentId, AgentAdapter>> = {
  claude: { ...AGENT_HOOKS.claude, ...claudeConfig },
  codex: { ...AGENT_HOOKS.codex, ...codexConfig },
  gemini: { ...AGENT_HOOKS.gemini, ...geminiConfig },
  qwen: { ...AGENT_HOOKS.qwen, ...qwenConfig },
  copilot: { ...AGENT_HOOKS.copilot, ...copilotConfig },
  opencode: { ...AGENT_HOOKS.opencode, ...opencodeConfig },
};

export { agentLabel } from './hooks.js';
export * from './agent.js';
