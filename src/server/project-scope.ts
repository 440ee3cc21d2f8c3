// Which projects a tool call touches, read from its arguments and the store: the project it names, the project of
// the branch or task it names, each new task's project. A token scoped to projects may call only within
// them, and a request id's ledger key names the project written to.
import type { Project, TaskKey, TaskStore } from '../store/index.js';
import { dependencyPrefixes } from '../store/dependency-ref.js';
import { requireKeyAmong } from '../store/task-ref.js';
import { noSuch } from '../store/errors.js';
import { mayUseProject, type Principal } from './principal.js';

/** A project a call touches: by name, with its id when the store has it (not yet, for one being created). */
export interface Touched {
  name: string;
  id?: string;
}

const given = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/**
 * The projects holding a task with this id that `principal` may see: ids are counted per project, and a project out
 * of its scope is never looked at, so an id held there is, to this caller, an id held nowhere.
 */
async function visibleHolders(store: TaskStore, principal: Principal, id: string): Promise<Project[]> {
  return (await store.taskProjects(id)).filter((p) => mayUseProject(principal, p.name));
}

/**
 * The task a call's `task_id` names for `principal`: in `project` (an id or name) when the call names one, else the
 * one project it may see that holds the id; refused, naming only projects it may see, when several do.
 */
export async function taskKeyFor(
  store: TaskStore,
  principal: Principal,
  taskId: string,
  project: string | undefined,
): Promise<TaskKey> {
  const named = given(project);
  if (named) {
    const p = await store.getProject(named);
    if (!p) throw noSuch('Project', named);
    return { projectId: p.id, id: taskId };
  }
  return requireKeyAmong(taskId, await visibleHolders(store, principal, taskId));
}

/**
 * Every project `args` names, directly or through a branch, a task or a dependency (a bare id is in the task's project,
 * `<project id>/<id>` in that project). A branch or task the store does not know, or holds only where `principal` may
 * not look, touches nothing.
 */
export async function projectsTouched(
  store: TaskStore,
  principal: Principal,
  args: Record<string, unknown>,
): Promise<Touched[]> {
  const found = new Map<string, Touched>();
  const byRef = async (ref: string): Promise<void> => {
    const p = await store.getProject(ref);
    found.set(p?.name ?? ref, p ? { name: p.name, id: p.id } : { name: ref });
  };
  const byId = async (projectId: string | undefined): Promise<void> => {
    if (projectId !== undefined) await byRef(projectId);
  };
  // `project`: the session's tools' word, which the tracker's add_task takes too.
  for (const key of ['project_id', 'name', 'project'] as const) {
    const ref = given(args[key]);
    if (ref) await byRef(ref);
  }
  const branch = given(args.git_branch_id);
  if (branch) await byId((await store.getBranch(branch))?.projectId);
  const task = given(args.task_id);
  if (task && !given(args.project_id))
    for (const p of await visibleHolders(store, principal, task)) found.set(p.name, { name: p.name, id: p.id });
  const tasks = Array.isArray(args.tasks) ? (args.tasks as Array<{ project_id?: unknown }>) : [];
  for (const t of tasks) {
    const ref = given(t?.project_id);
    if (ref) await byRef(ref);
  }
  const deps = [args.dependencies, ...tasks.map((t) => (t as { dependencies?: unknown })?.dependencies)].flatMap(
    strings,
  );
  for (const prefix of dependencyPrefixes(deps)) {
    const p = await store.getProject(prefix);
    if (p?.id === prefix) found.set(p.name, { name: p.name, id: p.id });
  }
  return [...found.values()];
}

/** A list argument's items: an array's strings, or a comma-separated string's parts. */
const strings = (v: unknown): string[] =>
  (Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : []).flatMap((s) =>
    typeof s === 'string' && s.trim() !== '' ? [s.trim()] : [],
  );
