// Gemini CLI, whole: its hooks, its configuration, and the folders it trusts.
import type { AgentAdapter } from '../agent.js';
import { geminiApproval, geminiApprovalLine } from './approval.js';
import { geminiConfig } from './config.js';
import { geminiHooks } from './hooks.js';
import { geminiWindows } from './windows.js';

export const gemini: AgentAdapter = {
  ...geminiHooks,
  ...geminiConfig,
  windows: geminiWindows,
  approval: ({ projectRoot, env }) => geminiApproval(projectRoot, env),
  approvalLine: geminiApprovalLine,
};
