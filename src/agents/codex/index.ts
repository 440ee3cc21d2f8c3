// OpenAI Codex CLI, whole: its hooks, its configuration, and its own word on whether it trusts taskhooks' hooks.
import type { AgentAdapter } from '../agent.js';
import { codexApproval, codexApprovalLine } from './approval.js';
import { codexConfig } from './config.js';
import { codexHooks } from './hooks.js';
import { codexWindows } from './windows.js';

export const codex: AgentAdapter = {
  ...codexHooks,
  ...codexConfig,
  windows: codexWindows,
  approval: ({ projectRoot, env, judge }) => codexApproval(projectRoot, env, judge),
  approvalLine: codexApprovalLine,
};
