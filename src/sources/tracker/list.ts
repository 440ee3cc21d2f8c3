// A project's pending tasks from the task-tracking tools: read whole through `list_tasks` where the server offers it
// (and, from a server that numbers its changes, only what changed since the cursor that read gave), else the next task
// of each open status, which is all the service's own tools can say.
import type { z } from 'zod';
import { isTaskSourceError } from '../../errors/task-source.js';
import type { ToolSession } from '../../resilience/tool-session.js';
import { OPEN_STATUSES, comparePending, type Task } from '../../tasks/task.js';
import { sortPending, type DeltaCursor, type FullListNeeded, type TaskChanges } from '../../tasks/delta.js';
import type { Scope } from '../../tasks/scope.js';
import type { Deadline } from '../../util/deadline.js';
import { joinNotes, leftOutNote, type ToolCall } from '../parse.js';
import type { PendingResult } from '../source.js';
import { NextAnswer, TrackerList } from './schema.js';

export interface TrackerReader {
  toolSession: ToolSession;
  call: ToolCall;
  /** Whether the server offers `list_tasks`, once asked: the service's own tools have none. */
  lists?: boolean;
}

export const nextOf = (r: TrackerReader, project: string, filter: string, deadline: Deadline): Promise<Task | null> =>
  r.call('get_next_task', { project_id: project, status_filter: filter }, NextAnswer, deadline);

async function offersList(r: TrackerReader, deadline: Deadline): Promise<boolean> {
  r.lists ??= (await r.toolSession.listTools({ deadline })).includes('list_tasks');
  return r.lists;
}

/** Which listing a cursor counts for: the server that answered and the project read. */
const basisOf = (r: TrackerReader, scope: Scope): string =>
  `tracker ${r.toolSession.server()} project ${scope.project}`;

/** The next task of each open status the service filters by: a server without a list can say no more. */
async function nextOfEachStatus(r: TrackerReader, scope: Scope, deadline: Deadline): Promise<PendingResult> {
  const found: Task[] = [];
  for (const filter of ['in_progress', 'pending', 'blocked']) {
    const t = await nextOf(r, scope.project, filter, deadline);
    if (t && !found.some((f) => f.id === t.id)) found.push(t);
  }
  return {
    tasks: found.sort(comparePending),
    note: 'the task-tracking service lists only the next task of each status',
  };
}

/** What to say when the server listed fewer of the project's tasks than it holds. */
const cutNote = (listed: number, total: number | undefined): string | undefined =>
  total !== undefined && total > listed
    ? `the server listed ${listed} of the project's ${total} tasks: open ones past them are not shown`
    : undefined;

/**
 * The project's open tasks in pending order (the order a patched list takes), with a cursor when the server numbered
 * its changes and the whole list fitted.
 */
export async function pending(r: TrackerReader, scope: Scope, deadline: Deadline): Promise<PendingResult> {
  if (!(await offersList(r, deadline))) return nextOfEachStatus(r, scope, deadline);
  let answer: z.output<typeof TrackerList>;
  try {
    answer = await r.call('list_tasks', { project_id: scope.project }, TrackerList, deadline);
  } catch (err) {
    // Another server's list_tasks of another shape: its own tools still say what they can, and the note says why.
    if (!isTaskSourceError(err) || err.kind !== 'protocol') throw err;
    const read = await nextOfEachStatus(r, scope, deadline);
    return { ...read, note: `${read.note} (its list_tasks answer did not fit: ${err.message})` };
  }
  const { items, left } = answer.tasks;
  const tasks = sortPending(items.filter((t) => OPEN_STATUSES.includes(t.status)));
  const note = joinNotes(leftOutNote(left), cutNote(items.length + left.length, answer.total));
  if (note) return { tasks, note };
  if (answer.sequence === undefined) return { tasks };
  return { tasks, cursor: { sequence: answer.sequence, basis: basisOf(r, scope) } };
}

/** What changed in the project's listing after `since`: one `list_tasks` call with `since`. */
export async function pendingSince(
  r: TrackerReader,
  scope: Scope,
  since: DeltaCursor,
  deadline: Deadline,
): Promise<TaskChanges | FullListNeeded> {
  const args = { project_id: scope.project, since: since.sequence };
  const answer = await r.call('list_tasks', args, TrackerList, deadline);
  // Read after the call: a failover may have reached another server than the one the cursor counts for.
  if (basisOf(r, scope) !== since.basis) return { full: true, why: 'the cursor is of another server or project' };
  if (answer.full !== false || answer.sequence === undefined)
    return { full: true, why: answer.why ?? 'the server answered no delta' };
  if (answer.tasks.left.length > 0) return { full: true, why: `a changed task did not fit: ${answer.tasks.left[0]}` };
  return {
    changed: answer.tasks.items,
    removedIds: answer.deleted_task_ids ?? [],
    cursor: { sequence: answer.sequence, basis: since.basis },
  };
}
