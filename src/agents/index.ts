// Every agent taskhooks serves, whole: one folder each (src/agents/<id>/), whose index.ts exports its `AgentAdapter`.
// Install, uninstall, doctor and the monitor walk this list; a hook run reads only the hook side (./hooks.ts).
import type { AgentAdapter, AgentId } from './agent.js';
import { claude } from './claude/index.js';
import { codex } from './codex/index.js';
import { copilot } from './copilot/index.js';
import { gemini } from './gemini/index.js';
import { opencode } from './opencode/index.js';
import { qwen } from './qwen/index.js';

export const AGENTS: Readonly<Record<AgentId, AgentAdapter>> = { claude, codex, gemini, qwen, copilot, opencode };

export { agentLabel } from './hooks.js';
/** Claude Code's own per-user file as help and messages name it (where install puts its task tools). */
export { CLAUDE_JSON_SHOWN } from './claude/claude-json.js';
export * from './agent.js';
