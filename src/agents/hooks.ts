// The hook side of every agent, by id: all a hook run loads (the configuration side stays out of the hook bundles).
import type { AgentHooks, AgentId } from './agent.js';
import { claudeHooks } from './claude.js';
import { codexHooks } from './codex.js';
import { geminiHooks } from './gemini.js';
import { opencodeHooks } from './opencode.js';

export const AGENT_HOOKS: Readonly<Record<AgentId, AgentHooks>> = {
  claude: claudeHooks,
  codex: codexHooks,
  gemini: geminiHooks,
  opencode: opencodeHooks,
};

/** The label of a recorded agent id ("Codex"), or undefined for one this build does not know. */
export function agentLabel(id: string | undefined): string | undefined {
  return id && id in AGENT_HOOKS ? AGENT_HOOKS[id as AgentId].label : undefined;
}

/** Another agent's hook input in Claude Code's shape (what it cannot map left as it came), and its own event name. */
export function fromAgentInput(agent: AgentHooks, raw: unknown): { value: unknown; agentEvent?: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { value: raw };
  const event = (raw as Record<string, unknown>).hook_event_name;
  return {
    value: agent.toCommon(raw as Record<string, unknown>),
    ...(typeof event === 'string' ? { agentEvent: event } : {}),
  };
}
