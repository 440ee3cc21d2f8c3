// Which projects a tool call touches, read from its arguments and the store: the project it names, the project of
// the branch, task or dependency it names, each new task's project. A token scoped to projects may call only within
// them, and a request id's ledger key names the project written to.
import type { TaskStore } from './db/index.js';

/** A project a call touches: by name, with its id when the store has it (not yet, for one being created). */
export interface Touched {
  name: string;
  id?: string;
}

const given = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/**
 * Every project `args` names, directly or through a branch, task or dependency. A branch or task the store does not
 * know touches nothing: the call itself answers that it is not found.
 */
export async function projectsTouched(store: TaskStore, args: Record<string, unknown>): Promise<Touched[]> {
  const found = new Map<string, Touched>();
  const byRef = async (ref: string): Promise<void> => {
    const p = await store.getProject(ref);
    found.set(p?.name ?? ref, p ? { name: p.name, id: p.id } : { name: ref });
  };
  const byId = async (projectId: string | undefined): Promise<void> => {
    if (projectId !== undefined) await byRef(projectId);
  };
  for (const key of ['project_id', 'name'] as const) {
    const ref = given(args[key]);
    if (ref) await byRef(ref);
  }
  const branch = given(args.git_branch_id);
  if (branch) await byId((await store.getBranch(branch))?.projectId);
  for (const key of ['task_id', 'dependency_id'] as const) {
    const task = given(args[key]);
    if (task) await byId((await store.getTask(task))?.projectId);
  }
  const tasks = Array.isArray(args.tasks) ? (args.tasks as Array<{ project_id?: unknown }>) : [];
  for (const t of tasks) {
    const ref = given(t?.project_id);
    if (ref) await byRef(ref);
  }
  return [...found.values()];
}
