// Qwen Code, whole: its hooks, its configuration, and the folders it trusts once its folder trust is on.
import type { AgentAdapter } from '../agent.js';
import { qwenApproval, qwenApprovalLine } from './approval.js';
import { qwenConfig } from './config.js';
import { qwenHooks } from './hooks.js';

export const qwen: AgentAdapter = {
  ...qwenHooks,
  ...qwenConfig,
  // Qwen Code 0.24.4 on Windows runs a hook line in Git Bash, cmd.exe or PowerShell after the terminal it started in
  // (getShellConfiguration); a handler's `shell: "powershell"` makes it `powershell -Command` whatever that was.
  windows: { runs: 'powershell', select: { shell: 'powershell' } },
  approval: ({ projectRoot, env, judge }) => qwenApproval(projectRoot, env, judge),
  approvalLine: qwenApprovalLine,
};
