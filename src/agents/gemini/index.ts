// Gemini CLI, whole: its hooks, its configuration, and the folders it trusts.
import type { AgentAdapter } from '../agent.js';
import { geminiApproval, geminiApprovalLine } from './approval.js';
import { geminiConfig } from './config.js';
import { geminiHooks } from './hooks.js';

export const gemini: AgentAdapter = {
  ...geminiHooks,
  ...geminiConfig,
  // Gemini CLI 0.61 on Windows runs every hook line in PowerShell (getShellConfiguration: pwsh, else powershell.exe,
  // `-NoProfile -NonInteractive -Command`), spawned with no other shell.
  windows: { runs: 'powershell' },
  approval: ({ projectRoot, env }) => geminiApproval(projectRoot, env),
  approvalLine: geminiApprovalLine,
};
