// GitHub Copilot CLI, whole: its hooks, its configuration, and the folders it trusts.
import type { AgentAdapter } from '../agent.js';
import { copilotApproval, copilotApprovalLine } from './approval.js';
import { copilotConfig } from './config.js';
import { copilotHooks } from './hooks.js';
import { copilotWindows } from './windows.js';

export const copilot: AgentAdapter = {
  ...copilotHooks,
  ...copilotConfig,
  windows: copilotWindows,
  approval: ({ projectRoot, env }) => copilotApproval(projectRoot, env),
  approvalLine: copilotApprovalLine,
};
