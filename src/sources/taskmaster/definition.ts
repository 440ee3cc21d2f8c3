// Task Master (task-master-ai) over stdio; its tasks live in <project>/.taskmaster/tasks/tasks.json.
import type { TaskStatus } from '../../tasks/task.js';
import { defineSource, npmProgram, programPlan } from '../contract.js';

/** Task Master's statuses; deferred work is still open, but never the next task, so it reads as blocked. */
export const TASKMASTER_STATUSES: Readonly<Record<string, TaskStatus>> = {
  pending: 'todo',
  'in-progress': 'in_progress',
  review: 'review',
  blocked: 'blocked',
  deferred: 'blocked',
  done: 'done',
  cancelled: 'cancelled',
};

/** Its program, found where installed (never downloaded). */
export const PROGRAM = npmProgram('Task Master', 'task-master-ai', 'task-master-ai');

export const definition = defineSource({
  name: 'taskmaster',
  summary: 'Task Master (task-master-ai over stdio, .taskmaster/tasks/tasks.json)',
  capabilities: {
    writes: ['start', 'done', 'block', 'reopen'],
    claims: 'none',
    pagination: 'get_tasks answers the whole list at once',
  },
  words: { statuses: TASKMASTER_STATUSES },
  changingTools: ['set_task_status', 'add_task'],
  program: PROGRAM,
  plan: (shared, ctx) => ({ kind: 'stdio', ...programPlan(shared, ctx, PROGRAM.bin) }),
});
