// The task-tracking tools (get_next_task, update_task_status, add_task, claim_task, release_task, and list_tasks where
// the server offers it). They have no get: a single task is read only as a write's answer.
import type { ToolSession } from '../../resilience/tool-session.js';
import type { TaskStatus } from '../../tasks/task.js';
import { TaskSourceError } from '../../errors/task-source.js';
import { checkedCall } from '../parse.js';
import { deadlineOf, type SourceCallOptions, type TaskSource } from '../source.js';
import { AddAnswer, TrackerTask } from './schema.js';
import { nextOf, pending, pendingSince, type TrackerReader } from './list.js';

const TRACKER_REQUIRED_TOOLS = ['get_next_task', 'update_task_status', 'add_task'] as const;

const TO_TRACKER: Partial<Record<TaskStatus, string>> = { todo: 'pending', done: 'completed' };

export interface TrackerOptions {
  /** A call's deadline when its caller gives none. */
  defaultDeadlineMs: number;
}

/** A task as the tracker's tools name it: its id, in the caller's project where it works in one (ids are per project). */
const named = (id: string, opts: SourceCallOptions): { task_id: string; project_id?: string } => ({
  task_id: id,
  ...(opts.project ? { project_id: opts.project } : {}),
});

export function trackerSource(toolSession: ToolSession, options: TrackerOptions): TaskSource {
  const { defaultDeadlineMs } = options;
  const call = checkedCall(toolSession);
  const reader: TrackerReader = { toolSession, call };
  const unsupported = (what: string): TaskSourceError =>
    new TaskSourceError('config', `The task-tracking tools cannot ${what}; use the tracker's own UI`, {
      short: `cannot ${what}`,
      place: toolSession.server(),
    });

  return {
    adapter: 'tracker',
    requiredTools: TRACKER_REQUIRED_TOOLS,
    server: () => toolSession.server(),
    pending: (scope, opts = {}) => pending(reader, scope, deadlineOf(opts, defaultDeadlineMs)),
    pendingSince: (scope, since, opts = {}) => pendingSince(reader, scope, since, deadlineOf(opts, defaultDeadlineMs)),
    next: (scope, opts = {}) => nextOf(reader, scope.project, 'pending', deadlineOf(opts, defaultDeadlineMs)),
    async get() {
      throw unsupported('show a single task');
    },
    async setStatus(id, status, opts = {}) {
      const args = { ...named(id, opts), status: TO_TRACKER[status] ?? status, completion_notes: opts.note ?? '' };
      return call('update_task_status', args, TrackerTask, deadlineOf(opts, defaultDeadlineMs));
    },
    async create(scope, input, opts = {}) {
      const deadline = deadlineOf(opts, defaultDeadlineMs);
      const task: Record<string, unknown> = {
        project_id: scope.project,
        title: input.title,
        description: input.description ?? input.title,
      };
      if (input.priority) task.priority = input.priority;
      if (input.labels?.length) task.labels = input.labels;
      if (input.details) task.details = input.details;
      const { task_ids } = await call('add_task', { tasks: [task] }, AddAnswer, deadline);
      const id = task_ids[0] as string;
      return {
        id,
        title: input.title,
        description: input.description ?? input.title,
        status: 'todo',
        priority: input.priority ?? 'medium',
        assignees: [],
        labels: input.labels ?? [],
        dependencies: [],
      };
    },
    async claim(id, claim, opts = {}) {
      const args = { ...named(id, opts), claimant: claim.claimant, lease_seconds: claim.leaseSeconds };
      return call('claim_task', args, TrackerTask, deadlineOf(opts, defaultDeadlineMs));
    },
    async release(id, claimant, opts = {}) {
      const args = { ...named(id, opts), claimant };
      return call('release_task', args, TrackerTask, deadlineOf(opts, defaultDeadlineMs));
    },
    listTools: (opts = {}) => toolSession.listTools({ deadline: deadlineOf(opts, defaultDeadlineMs) }),
    close: () => toolSession.close(),
  };
}
