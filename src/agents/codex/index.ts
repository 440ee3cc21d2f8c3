// OpenAI Codex CLI, whole: its hooks, its configuration, and its own word on whether it trusts taskhooks' hooks.
import type { AgentAdapter } from '../agent.js';
import { codexApproval, codexApprovalLine } from './approval.js';
import { codexConfig } from './config.js';
import { codexHooks } from './hooks.js';

export const codex: AgentAdapter = {
  ...codexHooks,
  ...codexConfig,
  // Codex 0.169 on Windows runs a hook's line as `%COMSPEC% /C <line>` (hooks/src/engine/command_runner.rs), the line
  // one argument quoted by Rust's rules, whose `\"` cmd.exe does not read: a quoted path breaks, so the line is
  // PowerShell's, encoded (`-EncodedCommand`, no quote in it), as Codex's own Windows tests write theirs.
  windows: { runs: 'cmd' },
  approval: ({ projectRoot, env, judge }) => codexApproval(projectRoot, env, judge),
  approvalLine: codexApprovalLine,
};
