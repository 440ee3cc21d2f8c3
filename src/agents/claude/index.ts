// Claude Code, whole: the common shape of the events is its own, and it runs the hooks of its settings as they are.
import type { AgentAdapter } from '../agent.js';
import { claudeConfig } from './config.js';
import { claudeHooks } from './hooks.js';
import { claudeLocalTools } from './local-server.js';
import { claudeWindows } from './windows.js';

export const claude: AgentAdapter = {
  ...claudeHooks,
  ...claudeConfig,
  windows: claudeWindows,
  localTools: claudeLocalTools,
  approval: () => ({ approved: true, detail: 'Claude Code runs the hooks of its settings as they are' }),
  approvalLine: () => undefined,
};
