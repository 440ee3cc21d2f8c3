// Codex 0.169 on Windows runs a hook's line as `%COMSPEC% /C <line>` (hooks/src/engine/command_runner.rs), the line
// one argument quoted by Rust's rules, whose `\"` cmd.exe does not read: a quoted path breaks, so the line is
// PowerShell's, encoded (`-EncodedCommand`, no quote in it), as Codex's own Windows tests write theirs.
import type { WindowsHooks } from '../agent.js';

export const codexWindows: WindowsHooks = { runs: 'cmd' };
