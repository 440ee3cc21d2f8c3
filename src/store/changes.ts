// The change sequences both engines keep: one number per project that every write changing its tasks (or the project
// or one of its branches, which change what a listing names) moves on once, inside its transaction, stamping the rows
// it wrote (`change_seq`) and leaving a tombstone for each task it deleted. A reader that last saw sequence N asks what
// changed after N and patches its copy. Tombstones are kept for a horizon; a reader older than that reads the whole
// list again. Numbers are per project so that a tenant's never count another project's writes; the store's own
// sequence, moved by every such write, keys the server's listing cache and is never sent.
import type { TaskDelta, TaskRecord } from './types.js';

/** More changes than this since a sequence are answered as "read the whole list": a delta would be no smaller. */
export const MAX_DELTA_TASKS = 1000;

/**
 * Why a delta is not told for a filter naming no project (each numbers its own changes), or a branch the store no
 * longer has (its project is not known any more: its listing is gone).
 */
export function unnumbered(filter: { gitBranchId?: string }): string {
  return filter.gitBranchId
    ? `no git branch ${filter.gitBranchId} any more: read its project's listing`
    : 'changes are numbered per project: name a project or a branch to be told a delta';
}

export interface SequenceState {
  sequence: number;
  /** The highest sequence whose tombstones were pruned: a reader at or below it may have missed a deletion. */
  horizon: number;
}

/** Whether `since` can be answered with a delta; the reason it cannot otherwise. */
export function deltaRefusal(state: SequenceState, since: number): string | undefined {
  if (since > state.sequence)
    return `sequence ${since} is ahead of this project's (${state.sequence}): another store or project`;
  if (since < state.horizon) return `sequence ${since} is older than the deletions kept (from ${state.horizon})`;
  return undefined;
}

/**
 * The delta from what a reader finds: `changed`, the ids of tasks in the listing's scope written after `since`;
 * `matching`, those of them the listing's filter still takes (in its order); `tombstones`, those deleted since.
 */
export function deltaOf(
  state: SequenceState,
  changed: readonly string[],
  matching: readonly TaskRecord[],
  tombstones: readonly string[],
): TaskDelta {
  if (changed.length + tombstones.length > MAX_DELTA_TASKS)
    return { full: true, why: `more than ${MAX_DELTA_TASKS} tasks changed` };
  const kept = new Set(matching.map((t) => t.id));
  const left = changed.filter((id) => !kept.has(id));
  return {
    full: false,
    sequence: state.sequence,
    tasks: [...matching],
    deletedIds: [...new Set([...left, ...tombstones.filter((id) => !kept.has(id))])],
  };
}
