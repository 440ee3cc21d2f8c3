// Qwen Code, whole: its hooks, its configuration, and the folders it trusts once its folder trust is on.
import type { AgentAdapter } from '../agent.js';
import { qwenApproval, qwenApprovalLine } from './approval.js';
import { qwenConfig } from './config.js';
import { qwenHooks } from './hooks.js';
import { qwenWindows } from './windows.js';

export const qwen: AgentAdapter = {
  ...qwenHooks,
  ...qwenConfig,
  windows: qwenWindows,
  approval: ({ projectRoot, env, judge }) => qwenApproval(projectRoot, env, judge),
  approvalLine: qwenApprovalLine,
};
