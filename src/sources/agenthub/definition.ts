// agenthub / dhafnck MCP servers (manage_task, manage_git_branch, manage_project), and `taskhooks serve`.
import type { TaskStatus } from '../../tasks/task.js';
import { defineSource, mcpPlan } from '../contract.js';

/** manage_task's own status words (the agenthub protocol's, which the embedded store speaks too). */
export const AGENTHUB_STATUSES: Readonly<Record<string, TaskStatus>> = {
  todo: 'todo',
  in_progress: 'in_progress',
  blocked: 'blocked',
  review: 'review',
  testing: 'testing',
  done: 'done',
  cancelled: 'cancelled',
};

export const definition = defineSource({
  name: 'agenthub',
  summary: "an agenthub / dhafnck MCP task server, or a team's `taskhooks serve` (MCP_SERVER_URL)",
  capabilities: {
    writes: ['start', 'done', 'block', 'reopen', 'note', 'add', 'edit', 'remove'],
    claims: 'server',
    push: true,
    pagination: true,
  },
  words: { statuses: AGENTHUB_STATUSES },
  changingTools: ['manage_task'],
  plan: mcpPlan,
  implied: (shared) => shared.servers.length > 0,
});
