// The hook side of every agent, by id: all a hook run loads (the configuration side stays out of the hook bundles).
import type { AgentHooks, AgentId } from './agent.js';
import { claudeHooks } from './claude.js';
import { codexHooks } from './codex.js';
import { geminiHooks } from './gemini.js';
import { qwenHooks } from './qwen.js';
import { copilotHooks } from './copilot.js';

export const AGENT_HOOKS: Readonly<Record<AgentId, AgentHooks>> = {
  claude: claudeHooks,
  codex: codexHooks,
  gemini: geminiHooks,
  qwen: qwenHooks,
  copilot: copilotHooks,
};

/** The label of a recorded agent id ("Codex"), or undefined for one this build does not know. */
export function agentLabel(id: string | undefined): string | undefined {
  return id && id in AGENT_HOOKS ? AGENT_HOOKS[id as AgentId].label : undefined;
}
