// Claude Code on Windows runs an exec-form hook (`command` + `args`) with no shell; a line would go to Git Bash or
// PowerShell, whichever is installed (its hooks reference), so install writes exec form there.
import type { WindowsHooks } from '../agent.js';

export const claudeWindows: WindowsHooks = { runs: 'exec' };
