// What a status or priority may be and how a status may change, with the words a refusal uses: every tool family
// and the task store answer a bad value the same way.
import { TASK_PRIORITIES, TASK_STATUSES, type TaskStatus } from './task.js';

/** Statuses a task leaves only by being reopened to REOPEN_STATUS. */
const CLOSED_STATUSES: readonly TaskStatus[] = ['done', 'cancelled'];
const REOPEN_STATUS: TaskStatus = 'todo';

/** `allowed` is the caller's own vocabulary where it has one (the tracker says pending and completed). */
export function invalidStatusMessage(value: unknown, allowed: readonly string[] = TASK_STATUSES): string {
  return `Invalid status: '${String(value)}'. Allowed values: ${allowed.join(', ')}`;
}

export function invalidPriorityMessage(value: unknown): string {
  return `Invalid priority: '${String(value)}'. Allowed values: ${TASK_PRIORITIES.join(', ')}`;
}

/** Why `task` may not go to `to`, or undefined when it may: a closed task only stays or reopens. */
export function transitionRefusal(task: { id: string; status: TaskStatus }, to: TaskStatus): string | undefined {
  if (!CLOSED_STATUSES.includes(task.status) || to === task.status || to === REOPEN_STATUS) return undefined;
  return `Invalid status transition: ${task.id} is ${task.status}; from ${task.status} it can only go to ${REOPEN_STATUS} (reopen)`;
}

/** What a finished task's summary says when whoever finished it through taskhooks gave no note. */
export const COMPLETED_NOTE = 'Completed with taskhooks';

/**
 * A task's notes once a status change's `note` is kept with them: after what they already say, never in its place
 * (a server's update replaces the whole text).
 */
export function notesWithStatusNote(notes: string | null | undefined, status: TaskStatus, note: string): string {
  return [notes, `${status}: ${note}`].filter(Boolean).join('\n\n');
}
