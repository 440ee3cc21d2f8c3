// The task-tracking tools (get_next_task, update_task_status, add_task). They have no list or get: "pending"
// is the next task of each open status, which is what that service can say.
import { z } from 'zod';
import type { ToolSession } from '../../resilience/session.js';
import { TASK_PRIORITIES, comparePending, type Task, type TaskStatus } from '../../tasks/task.js';
import { TaskSourceError } from '../../errors/task-source.js';
import { parseAnswer } from '../parse.js';
import type { Deadline } from '../../util/deadline.js';
import { deadlineOf, type TaskSource } from '../source.js';
import { TRACKER_STATUSES } from './definition.js';

const TRACKER_REQUIRED_TOOLS = ['get_next_task', 'update_task_status', 'add_task'] as const;

const TO_TRACKER: Partial<Record<TaskStatus, string>> = { todo: 'pending', done: 'completed' };

const TrackerTask = z
  .looseObject({
    task_id: z.union([z.string().min(1), z.number()]).transform(String),
    title: z.string().nullish(),
    description: z.string().nullish(),
    status: z.string().refine((s) => s in TRACKER_STATUSES, {
      message: `status must be one of ${Object.keys(TRACKER_STATUSES).join(', ')}`,
    }),
    priority: z.string().nullish(),
    assignees: z.array(z.string()).nullish(),
    labels: z.array(z.string()).nullish(),
    dependencies: z.array(z.string()).nullish(),
    completion_notes: z.string().nullish(),
    claimed_by: z.string().nullish(),
    claim_expires_at: z.string().nullish(),
    created_at: z.string().nullish(),
    updated_at: z.string().nullish(),
  })
  .transform((t): Task => {
    const task: Task = {
      id: t.task_id,
      title: t.title || (t.description ?? '').split('\n')[0] || t.task_id,
      description: t.description ?? '',
      status: TRACKER_STATUSES[t.status] as TaskStatus,
      priority: (TASK_PRIORITIES as readonly string[]).includes(t.priority ?? '')
        ? (t.priority as Task['priority'])
        : 'medium',
      assignees: t.assignees ?? [],
      labels: t.labels ?? [],
      dependencies: t.dependencies ?? [],
    };
    if (t.completion_notes) task.summary = t.completion_notes;
    // A lapsed claim is nobody's: the server clears it only at the next write.
    if (t.claimed_by && !(t.claim_expires_at && Date.parse(t.claim_expires_at) <= Date.now()))
      task.claimedBy = t.claimed_by;
    if (t.created_at) task.createdAt = t.created_at;
    if (t.updated_at) task.updatedAt = t.updated_at;
    return task;
  });

const NextAnswer = TrackerTask.nullable();
const AddAnswer = z.looseObject({ success: z.boolean(), task_ids: z.array(z.string()).min(1) });

export interface TrackerOptions {
  /** A call's deadline when its caller gives none. */
  defaultDeadlineMs: number;
}

export function trackerSource(session: ToolSession, options: TrackerOptions): TaskSource {
  const { defaultDeadlineMs } = options;
  const call = async <S extends z.ZodType>(
    tool: string,
    args: Record<string, unknown>,
    schema: S,
    deadline: Deadline,
  ): Promise<z.output<S>> => parseAnswer(schema, await session.call(tool, args, { deadline }), tool, session.server());
  const nextOf = (project: string, filter: string, deadline: Deadline): Promise<Task | null> =>
    call('get_next_task', { project_id: project, status_filter: filter }, NextAnswer, deadline);
  const unsupported = (what: string): TaskSourceError =>
    new TaskSourceError('config', `The task-tracking tools cannot ${what}; use the tracker's own UI`, {
      short: `cannot ${what}`,
      place: session.server(),
    });

  return {
    adapter: 'tracker',
    requiredTools: TRACKER_REQUIRED_TOOLS,
    server: () => session.server(),
    async pending(scope, opts = {}) {
      const deadline = deadlineOf(opts, defaultDeadlineMs);
      const found: Task[] = [];
      for (const filter of ['in_progress', 'pending', 'blocked']) {
        const t = await nextOf(scope.project, filter, deadline);
        if (t && !found.some((f) => f.id === t.id)) found.push(t);
      }
      return {
        tasks: found.sort(comparePending),
        note: 'the task-tracking service lists only the next task of each status',
      };
    },
    async next(scope, opts = {}) {
      return nextOf(scope.project, 'pending', deadlineOf(opts, defaultDeadlineMs));
    },
    async get() {
      throw unsupported('show a single task');
    },
    async setStatus(id, status, opts = {}) {
      const args = { task_id: id, status: TO_TRACKER[status] ?? status, completion_notes: opts.note ?? '' };
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
      const args = { task_id: id, claimant: claim.claimant, lease_seconds: claim.leaseSeconds };
      return call('claim_task', args, TrackerTask, deadlineOf(opts, defaultDeadlineMs));
    },
    async release(id, claimant, opts = {}) {
      return call('release_task', { task_id: id, claimant }, TrackerTask, deadlineOf(opts, defaultDeadlineMs));
    },
    listTools: (opts = {}) => session.listTools({ deadline: deadlineOf(opts, defaultDeadlineMs) }),
    close: () => session.close(),
  };
}
