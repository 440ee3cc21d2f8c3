// Qwen Code 0.24.4 on Windows runs a hook line in Git Bash, cmd.exe or PowerShell after the terminal it started in
// (getShellConfiguration); a handler's `shell: "powershell"` makes it `powershell -Command` whatever that was.
import type { WindowsHooks } from '../agent.js';

export const qwenWindows: WindowsHooks = { runs: 'powershell', select: { shell: 'powershell' } };
