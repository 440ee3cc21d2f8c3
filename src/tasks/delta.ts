// A snapshot brought up to date by what changed since it was listed, instead of by reading the whole list again. A
// patched list must equal the list read whole: same tasks, same fields, same order.
import { OPEN_STATUSES, comparePending, type Task } from './task.js';

/** Where a listing stood: the server's change sequence, and which listing (server and branch) it counts for. */
export interface DeltaCursor {
  sequence: number;
  basis: string;
}

/** What changed in a listing after a cursor: the tasks written (whatever their status) and those that left it. */
export interface TaskChanges {
  changed: Task[];
  removedIds: string[];
  cursor: DeltaCursor;
}

/** A cursor the server could not answer from (too old, another store, too much changed): read the whole list. */
export interface FullListNeeded {
  full: true;
  why: string;
}

/** Pending order with the id last, so a list patched piece by piece sorts the same as one read whole. */
export function sortPending(tasks: Task[]): Task[] {
  return tasks.sort((a, b) => comparePending(a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The task as a list read at `now` shows it: a claim whose lease ran out names no one. */
export function withLiveClaim(task: Task, now: number): Task {
  if (task.claimUntil === undefined || Date.parse(task.claimUntil) > now) return task;
  const { claimedBy: _holder, claimUntil: _until, ...free } = task;
  return free;
}

/**
 * The pending list after `changes`: a task written is replaced (or dropped when no longer open), a task gone is
 * dropped, and claims whose leases ran out by `now` are let go, as a list read then would show them.
 */
export function applyTaskChanges(
  tasks: readonly Task[],
  changes: Pick<TaskChanges, 'changed' | 'removedIds'>,
  now: number,
): Task[] {
  const gone = new Set([...changes.removedIds, ...changes.changed.map((t) => t.id)]);
  const kept = tasks.filter((t) => !gone.has(t.id));
  const added = changes.changed.filter((t) => OPEN_STATUSES.includes(t.status));
  return sortPending([...kept, ...added].map((t) => withLiveClaim(t, now)));
}
