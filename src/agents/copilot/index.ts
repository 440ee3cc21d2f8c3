// GitHub Copilot CLI, whole: its hooks, its configuration, and the folders it trusts.
import type { AgentAdapter } from '../agent.js';
import { copilotApproval, copilotApprovalLine } from './approval.js';
import { copilotConfig } from './config.js';
import { copilotHooks } from './hooks.js';

export const copilot: AgentAdapter = {
  ...copilotHooks,
  ...copilotConfig,
  // Copilot CLI 1.0.102 on Windows runs a handler's `powershell` line in PowerShell (`-NoProfile -NoLogo
  // -NonInteractive`) and its `bash` line elsewhere (hookSelectShellScript); install writes the one of its platform.
  windows: { runs: 'powershell' },
  approval: ({ projectRoot, env }) => copilotApproval(projectRoot, env),
  approvalLine: copilotApprovalLine,
};
