// The task-tracking service's tools (get_next_task, update_task_status, add_task, claim_task; list_tasks if offered).
import type { TaskStatus } from '../../tasks/task.js';
import { defineSource, mcpPlan } from '../contract.js';

/** The tracker's statuses, and the store's own words, which it accepts too. */
export const TRACKER_STATUSES: Readonly<Record<string, TaskStatus>> = {
  pending: 'todo',
  todo: 'todo',
  in_progress: 'in_progress',
  blocked: 'blocked',
  review: 'review',
  testing: 'testing',
  completed: 'done',
  done: 'done',
  cancelled: 'cancelled',
};

export const definition = defineSource({
  name: 'tracker',
  summary: 'a task-tracking service (TASK_TRACKING_URL, TASK_TRACKING_API_KEY)',
  capabilities: {
    writes: ['start', 'done', 'block', 'reopen', 'add'],
    claims: 'server',
    pagination: 'list_tasks, where the server offers it, answers the whole list; else the next task of each status',
  },
  words: { statuses: TRACKER_STATUSES },
  changingTools: ['update_task_status', 'add_task'],
  plan: (shared, ctx) => {
    if (shared.command !== undefined) return mcpPlan(shared, ctx);
    const servers = shared.servers.length > 0 ? shared.servers : shared.trackingUrl ? [shared.trackingUrl] : [];
    return servers.length > 0 ? { kind: 'remote', servers: [...servers] } : undefined;
  },
  implied: (shared) => shared.trackingUrl !== undefined,
});
