// Claude Code: the shape every event speaks, so its input and answer pass as they are.
import { FULL_REACH, type AgentHooks } from '../agent.js';

export const claudeHooks: AgentHooks = {
  id: 'claude',
  label: 'Claude Code',
  toCommon: (raw) => raw,
  fromCommon: (output) => ({ ...output }),
  reach: () => FULL_REACH,
};
