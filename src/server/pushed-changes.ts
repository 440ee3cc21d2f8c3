// What a change notification carries besides its sequence: the project's delta since the notification before it, read
// once per burst, so a subscriber whose copy stood at that notification patches it without asking anything. Without
// it a thousand subscribers each send a `list since` and a `next` for every change, all at the same moment.
import type { TaskStore } from '../store/index.js';
import { taskJson, type TaskJson } from './agenthub/json.js';

/** A notification stays small: past this, subscribers ask `list since` themselves. */
const MAX_CARRIED_BYTES = 32 * 1024;
/** Past this many branches, the next task of each is not worked out per notification. */
const MAX_BRANCHES = 32;

/**
 * `manage_task list since` for the whole project, as agenthub words it, plus `next`: the next task's id (or null) of
 * each branch whose next task may have changed (one written to, or whose next is not the one told last time). Every
 * task named in `next` is among `tasks`. A subscriber at a sequence from `since` to `sequence` applies it as is.
 */
export interface CarriedChanges {
  since: number;
  sequence: number;
  tasks: Record<string, unknown>[];
  deleted_task_ids: string[];
  next: Record<string, string | null>;
}

interface Told {
  sequence: number;
  next: Map<string, string | null>;
}

/**
 * The changes to carry for a project, one call per notification in order (calls for one project must not overlap):
 * undefined for the first one (nothing was told to count from), a project not there, a delta the store cannot answer,
 * too many branches or too many bytes. Each call remembers what it read, so the next one counts from there.
 */
export function carriedChanges(store: TaskStore): (project: string) => Promise<CarriedChanges | undefined> {
  const told = new Map<string, Told>();
  return async (name) => {
    const before = told.get(name);
    told.delete(name);
    const { project, sequence = 0 } = await store.listingScope({ project: name });
    if (!project) {
      // No such project yet: once made, all its tasks are changes after its sequence 0.
      told.set(name, { sequence, next: new Map() });
      return undefined;
    }
    const delta = before && (await store.changesSince({ projectId: project.id }, before.sequence));
    const branches = await store.listBranches(project.id);
    if (branches.length > MAX_BRANCHES) return undefined;
    const nexts = new Map<string, { id: string; json: TaskJson; projectTask: boolean } | null>();
    for (const b of branches) {
      const { task } = await store.nextTask({ gitBranchId: b.id });
      nexts.set(b.id, task && { id: task.id, json: taskJson(task), projectTask: task.gitBranchId === null });
    }
    const at = delta && !delta.full ? delta.sequence : sequence;
    told.set(name, { sequence: at, next: new Map([...nexts].map(([b, t]) => [b, t?.id ?? null])) });
    if (!before || !delta || delta.full) return undefined;
    const written = new Set(delta.tasks.map((t) => t.gitBranchId));
    const tasks = delta.tasks.map(taskJson);
    const listed = new Set(delta.tasks.map((t) => t.id));
    // A task written on no branch is on every branch: each branch's next may have changed.
    const changed = [...nexts].filter(
      ([branch, task]) =>
        written.has(branch) ||
        written.has(null) ||
        !before.next.has(branch) ||
        before.next.get(branch) !== (task?.id ?? null),
    );
    // A subscriber takes each carried task as written on every branch listing it, so a next task on no branch, carried
    // for one branch, may be any branch's next: then every branch's next is carried, or their copies would be fetched.
    const projectNext = changed.some(([, task]) => task && !listed.has(task.id) && task.projectTask);
    const next: Record<string, string | null> = {};
    for (const [branch, task] of projectNext ? [...nexts] : changed) {
      next[branch] = task?.id ?? null;
      if (task && !listed.has(task.id)) {
        tasks.push(task.json);
        listed.add(task.id);
      }
    }
    const carried = {
      since: before.sequence,
      sequence: delta.sequence,
      tasks,
      deleted_task_ids: delta.deletedIds,
      next,
    };
    return JSON.stringify(carried).length <= MAX_CARRIED_BYTES ? carried : undefined;
  };
}
