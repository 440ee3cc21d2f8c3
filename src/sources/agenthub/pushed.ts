// A snapshot moved on by what a change notification carried: the project's delta since the notification before, and
// the next task of each branch it may have changed. The snapshot's branch takes the tasks written on it and drops the
// others the delta names (moved away or deleted), as `list since` for that branch would answer; a task on no branch
// is the whole project's, on every branch.
import type { PushedArgs, PushedPatch } from '../adapter-contract.js';
import type { Task } from '../../tasks/task.js';
import { branchOfBasis } from './list.js';
import { onBranchListing } from './reading.js';
import { CarriedChanges, taskOf } from './schema.js';

export function pushedPatch(args: PushedArgs): PushedPatch | undefined {
  const branchId = branchOfBasis(args.server, args.cursor.basis);
  const parsed = CarriedChanges.safeParse(args.carried);
  if (branchId === undefined || !parsed.success) return undefined;
  const c = parsed.data;
  // The delta holds every write made after `since`, each as it stood at `sequence` or later. So a copy taken at any
  // point between those two sequences ends, once patched, where a fresh read would.
  if (args.cursor.sequence < c.since || args.cursor.sequence > c.sequence) return undefined;
  const onBranch = (task: Task): Task => (task.projectTask ? task : { ...task, branch: args.branch });
  const mine = c.tasks.filter((t) => onBranchListing(t.git_branch_id, branchId));
  const removedIds = [
    ...c.deleted_task_ids,
    ...c.tasks.filter((t) => !onBranchListing(t.git_branch_id, branchId)).map((t) => t.id),
  ];
  const patch: PushedPatch = {
    changed: mine.map((t) => onBranch(taskOf(t, { notes: false }))),
    removedIds,
    cursor: { sequence: c.sequence, basis: args.cursor.basis },
  };
  if (!Object.hasOwn(c.next, branchId)) {
    // The notification says nothing about the next task, so it is unchanged, unless the copy's next task was
    // itself written or deleted: then only a fresh read can tell which task is next now.
    const touched =
      args.nextId !== undefined && (removedIds.includes(args.nextId) || mine.some((t) => t.id === args.nextId));
    return touched ? undefined : patch;
  }
  const nextId = c.next[branchId];
  if (nextId === null || nextId === undefined) return { ...patch, next: null };
  const next = c.tasks.find((t) => t.id === nextId);
  return next ? { ...patch, next: onBranch(taskOf(next, { notes: true })) } : undefined;
}
