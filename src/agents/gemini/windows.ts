// Gemini CLI 0.61 on Windows runs every hook line in PowerShell (getShellConfiguration: pwsh, else powershell.exe,
// `-NoProfile -NonInteractive -Command`), spawned with no other shell.
import type { WindowsHooks } from '../agent.js';

export const geminiWindows: WindowsHooks = { runs: 'powershell' };
