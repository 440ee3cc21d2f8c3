// Claude Code, whole: the common shape of the events is its own, and it runs the hooks of its settings as they are.
import type { AgentAdapter } from '../agent.js';
import { claudeConfig } from './config.js';
import { claudeHooks } from './hooks.js';
import { claudeLocalTools } from './local-server.js';

export const claude: AgentAdapter = {
  ...claudeHooks,
  ...claudeConfig,
  // Claude Code on Windows runs an exec-form hook (`command` + `args`) with no shell; a line would go to Git Bash or
  // PowerShell, whichever is installed (its hooks reference), so install writes exec form there.
  windows: { runs: 'exec' },
  localTools: claudeLocalTools,
  approval: () => ({ approved: true, detail: 'Claude Code runs the hooks of its settings as they are' }),
  approvalLine: () => undefined,
};
