// Every agent taskhooks serves, whole: one folder each (src/agents/<id>/), whose index.ts exports its `AgentAdapter`.
// Install, uninstall, doctor and the monitor walk this list; a hook run reads only the hook side (./hooks.ts).
import type { AgentAdapter, AgentId, AgentPlugin } from './agent.js';
import { claude } from './claude/index.js';
import { codex } from './codex/index.js';
import { copilot } from './copilot/index.js';
import { gemini } from './gemini/index.js';
import { opencode } from './opencode/index.js';
import { qwen } from './qwen/index.js';

export const AGENTS: Readonly<Record<AgentId, AgentAdapter>> = { claude, codex, gemini, qwen, copilot, opencode };

/** The agents' plugins, for files whose agent is not known: a file that loads any of them holds taskhooks' wiring. */
export const AGENT_PLUGINS: readonly AgentPlugin[] = Object.values(AGENTS).flatMap((a) => (a.plugin ? [a.plugin] : []));

/** Whether a configuration loads some agent's taskhooks plugin. */
export function loadsTaskhooksPlugin(config: Record<string, unknown>): boolean {
  return AGENT_PLUGINS.some((p) => p.loads(config));
}

export { agentLabel } from './hooks.js';
/** Claude Code's own per-user file as help and messages name it (where install puts its task tools). */
export { claudeJsonShown } from './claude/claude-json.js';
export * from './agent.js';
