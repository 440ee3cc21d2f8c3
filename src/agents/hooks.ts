// The hook side of every agent, by id: all a hook run loads (the configuration side stays out of the hook bundles).
import type { AgentHooks, AgentId } from './agent.js';
import { claudeHooks } from './claude/hooks.js';
import { codexHooks } from './codex/hooks.js';
import { geminiHooks } from './gemini/hooks.js';
import { qwenHooks } from './qwen/hooks.js';
import { copilotHooks } from './copilot/hooks.js';
import { opencodeHooks } from './opencode/hooks.js';

export const AGENT_HOOKS: Readonly<Record<AgentId, AgentHooks>> = {
  claude: claudeHooks,
  codex: codexHooks,
  gemini: geminiHooks,
  qwen: qwenHooks,
  copilot: copilotHooks,
  opencode: opencodeHooks,
};

/** The label of a recorded agent id ("Codex"), or undefined for one this build does not know. */
export function agentLabel(id: string | undefined): string | undefined {
  return id && id in AGENT_HOOKS ? AGENT_HOOKS[id as AgentId].label : undefined;
}

/**
 * Another agent's hook input in Claude Code's shape (what it cannot map left as it came), and its own event name:
 * the input's, or `named` (the registration's `--event=`) for an agent whose input does not name it.
 */
export function fromAgentInput(
  agent: AgentHooks,
  raw: unknown,
  named?: string,
): { value: unknown; agentEvent?: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { value: raw };
  const given = (raw as Record<string, unknown>).hook_event_name ?? named;
  const event = typeof given === 'string' ? given : undefined;
  return {
    value: agent.toCommon(event === undefined ? (raw as Record<string, unknown>) : { ...raw, hook_event_name: event }),
    ...(event === undefined ? {} : { agentEvent: event }),
  };
}
