// The one pending list of the built-in store and agenthub, whoever reads it (the hooks' snapshot, `tasks list`, the
// board, the next-task pick, the news, the session's list_tasks tool), and which branch's listing a task is on.
import { sortPending } from './delta.js';
import { OPEN_STATUSES, type Task } from './task.js';

/**
 * The pending list of what a listing read (`all`: every task of it): open tasks only, in the order people read them.
 * The one place the built-in store's and agenthub's pending lists are made, whoever reads them (the hooks' snapshot,
 * `tasks list`, the board, the next-task pick, the news).
 */
export function pendingOf(tasks: Task[], all = false): Task[] {
  // A project task comes with every branch a read lists: it is kept once.
  const once = [...new Map(tasks.map((t) => [t.id, t])).values()];
  return sortPending(all ? once : once.filter((t) => OPEN_STATUSES.includes(t.status)));
}

/** Whether a task a branch's listing was sent belongs there: the branch's own, or its project's on no branch. */
export const onBranchListing = (taskBranchId: string | null | undefined, branchId: string): boolean =>
  taskBranchId === branchId || taskBranchId === null;
