// The task-tracking tools' answers, as that service (or a taskhooks server speaking its tools) sends them.
import { z } from 'zod';
import { TASK_PRIORITIES, type Task, type TaskStatus } from '../../tasks/task.js';
import { withLiveClaim } from '../../tasks/delta.js';
import { anyId, numberedList, taskNameLists } from '../parse.js';
import { TRACKER_STATUSES } from './definition.js';

/** A task as the tracker sends it, made a Task: one shape for a single answer and a list's items alike. */
export const TrackerTask = z
  .looseObject({
    task_id: anyId,
    title: z.string().nullish(),
    description: z.string().nullish(),
    status: z.string().refine((s) => s in TRACKER_STATUSES, {
      message: `status must be one of ${Object.keys(TRACKER_STATUSES).join(', ')}`,
    }),
    priority: z.string().nullish(),
    ...taskNameLists,
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
    if (t.claimed_by) task.claimedBy = t.claimed_by;
    // The lease's end is kept so a list patched later lets the claim go when it lapses, as a list read then would.
    if (t.claimed_by && t.claim_expires_at) task.claimUntil = t.claim_expires_at;
    if (t.created_at) task.createdAt = t.created_at;
    if (t.updated_at) task.updatedAt = t.updated_at;
    // A lapsed claim is nobody's: the server clears it only at the next write.
    return withLiveClaim(task, Date.now());
  });

export const NextAnswer = TrackerTask.nullable();
export const AddAnswer = z.looseObject({ success: z.boolean(), task_ids: z.array(z.string()).min(1) });

/**
 * `list_tasks`: a project's tasks, or with `since` what changed after it. Only a server that numbers its changes
 * sends `sequence` (and, asked `since`, `full` and `deleted_task_ids`); `total` says how many the project holds.
 */
export const TrackerList = numberedList(TrackerTask).extend({ total: z.number().int().nonnegative().optional() });
