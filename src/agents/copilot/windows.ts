// Copilot CLI 1.0.102 on Windows runs a handler's `powershell` line in PowerShell (`-NoProfile -NoLogo
// -NonInteractive`) and its `bash` line elsewhere (hookSelectShellScript); install writes the one of its platform.
import type { WindowsHooks } from '../agent.js';

export const copilotWindows: WindowsHooks = { runs: 'powershell' };
