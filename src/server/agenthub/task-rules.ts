// What manage_task's writes do beyond the store's own checks, in one place for both of its callers: the served tool
// (./task-actions.ts, over the async TaskStore) and the CLI's writes to the built-in store in its own process
// (src/sources/embedded/local-write.ts, over the synchronous store). No zod or SDK here: the CLI's writes load it.
import { idOf } from '../../store/task-ref.js';
import type { ClaimRequest, NewTask, TaskDb, TaskPatch, TaskRecord, TaskRef } from '../../store/types.js';
import { invalid, noSuch } from '../../store/errors.js';
import { ON_TASK, type TaskFieldValues } from '../../tasks/fields.js';
import type { NewTaskInput } from '../../tasks/new-task.js';

/** A store whose calls answer at once or later: the served TaskStore and the CLI's store both are one. */
export type RuleStore = {
  [K in
    | 'getTask'
    | 'getBranch'
    | 'getProject'
    | 'createTask'
    | 'updateTask'
    | 'setStatus'
    | 'claimTask']: TaskDb[K] extends (...args: infer A) => infer R ? (...args: A) => R | Promise<R> : never;
};

/** A task moves only to another branch of its own project: the branch, checked. */
export async function branchOfSameProject(store: RuleStore, ref: TaskRef, branchId: string): Promise<string> {
  const [task, branch] = await Promise.all([store.getTask(ref), store.getBranch(branchId)]);
  if (!task) throw noSuch('Task', idOf(ref));
  if (!branch) throw noSuch('Git branch', branchId);
  if (branch.projectId !== task.projectId)
    throw invalid(`git_branch_id ${branchId} belongs to another project than task ${task.id}`);
  return branch.id;
}

/** Where a new task goes: a branch (and so its project), else a project with no branch. */
export type TaskPlace = { branchId: string } | { project: string };

export async function createTaskAt(
  store: RuleStore,
  place: TaskPlace,
  task: Omit<NewTask, 'projectId' | 'gitBranchId'>,
): Promise<TaskRecord> {
  if ('branchId' in place) {
    const branch = await store.getBranch(place.branchId);
    if (!branch) throw noSuch('Git branch', place.branchId);
    return store.createTask({ ...task, projectId: branch.projectId, gitBranchId: branch.id });
  }
  const project = await store.getProject(place.project);
  if (!project) throw noSuch('Project', place.project);
  return store.createTask({ ...task, projectId: project.id, gitBranchId: null });
}

/** The plain fields set in `values`, by name: a write leaves the others as they are. */
export function plainFieldsOf(values: TaskFieldValues): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const { name } of ON_TASK) {
    const value = values[name];
    if (value !== undefined) fields[name] = value;
  }
  return fields;
}

/**
 * A new task (src/tasks/new-task.ts) written at `place`: how the CLI, the board and the session's add_task add one to
 * the built-in store. A field given empty is left unset, to the store's default.
 */
export function addTaskAt(store: RuleStore, place: TaskPlace, input: NewTaskInput): Promise<TaskRecord> {
  return createTaskAt(store, place, {
    ...plainFieldsOf(input),
    title: input.title,
    ...(input.description ? { description: input.description } : {}),
    ...(input.details ? { details: input.details } : {}),
    ...(input.priority ? { priority: input.priority } : {}),
    ...(input.labels?.length ? { labels: input.labels } : {}),
  });
}

/**
 * A task changed by `person` (undefined: a caller who names no one, as a local one): a move to another branch stays
 * in the task's project, and whoever starts an unassigned task is its assignee, so teammates' contexts can say whose
 * it is.
 */
export async function updateTaskAs(
  store: RuleStore,
  person: string | undefined,
  change: { id: TaskRef; patch: TaskPatch; branchId?: string | undefined; version?: number | undefined },
): Promise<TaskRecord> {
  const { id } = change;
  const patch = { ...change.patch };
  if (change.branchId !== undefined) patch.gitBranchId = await branchOfSameProject(store, id, change.branchId);
  if (
    person &&
    patch.status === 'in_progress' &&
    patch.assignees === undefined &&
    (await store.getTask(id))?.assignees.length === 0
  )
    patch.assignees = [person];
  return store.updateTask(id, patch, change.version);
}

/** A task finished, with what was said of it (a completion summary, testing notes). */
export function finishTask(
  store: RuleStore,
  id: TaskRef,
  said: { summary?: string | undefined; testing?: string | undefined },
): Promise<TaskRecord> | TaskRecord {
  const summary = [said.summary, said.testing && `Testing: ${said.testing}`].filter(Boolean).join('\n');
  return store.setStatus(id, 'done', summary || undefined);
}

/** A claim taken by `person`'s session (undefined: a caller who names no one): an unassigned task becomes theirs. */
export function claimTaskAs(
  store: RuleStore,
  person: string | undefined,
  claim: Omit<ClaimRequest, 'assignee'>,
): Promise<TaskRecord> | TaskRecord {
  return store.claimTask({ ...claim, ...(person ? { assignee: person } : {}) });
}
