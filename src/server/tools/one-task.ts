// One task added by a tool, as a session adds it: the session's add_task, and the tracker's add_task when it is
// given one task rather than a batch, so a model that learnt one form is answered by both. Its fields, defaults and
// refusals are those of every way of adding a task (src/tasks/new-task.ts).
import * as z from 'zod';
import { fieldsOfFlags } from '../../tasks/fields.js';
import { checkNewTask } from '../../tasks/new-task.js';
import { TASK_PRIORITIES } from '../../tasks/task.js';
import { invalid } from '../../store/errors.js';
import type { ToolContext } from '../calls.js';
import { addTaskAt, type TaskPlace } from '../agenthub/task-rules.js';
import { FLAG_ARGS } from '../task-fields.js';

export const PROJECT = z.string().optional().describe("default: this session's");

/** What the description of a tool that adds one task says. */
export const ADD_ONE_TASK = 'Add a task: every branch lists it, or only this one with branch.';

/** One new task's arguments: the plain fields by their `tasks add` flag (`due`), as the CLI takes them. */
export const ONE_TASK_ARGS = {
  // An empty title is refused by checkNewTask, in the words every way of adding a task uses.
  title: z.string(),
  description: z.string().optional(),
  priority: z.enum(TASK_PRIORITIES).optional(),
  ...FLAG_ARGS,
  labels: z.array(z.string()).optional(),
  branch: z.boolean().optional().describe("only this session's branch lists it"),
  project: PROJECT,
};

type OneTask = z.infer<z.ZodObject<typeof ONE_TASK_ARGS>>;

/**
 * The project a call works in: the one it names, else the session's (known to a server started in its folder or told
 * it), else the store's only project; refused, naming the projects there are, when none of these says.
 */
export async function projectOf(ctx: ToolContext, named: string | undefined): Promise<string> {
  const given = named?.trim() || (await ctx.sessionPlace?.())?.project;
  if (given) return given;
  const projects = await ctx.store.listProjects();
  const [only] = projects;
  if (only && projects.length === 1) return only.name;
  throw invalid(
    projects.length === 0
      ? 'No project yet: name one with project (the name of your repository, say)'
      : `Name the project with project: this server does not know your session's (projects: ${projects
          .map((p) => p.name)
          .slice(0, 20)
          .join(', ')})`,
  );
}

/** Where an added task goes: its project, or the session's branch of it when asked; refused when none is known. */
async function placeOfTask(ctx: ToolContext, a: OneTask): Promise<{ at: TaskPlace; project: string; branch?: string }> {
  const { store } = ctx;
  const { project } = await store.getOrCreateProject({ name: await projectOf(ctx, a.project) });
  if (!a.branch) return { at: { project: project.id }, project: project.name };
  const place = await ctx.sessionPlace?.();
  if (!place?.branch || place.project !== project.name)
    throw invalid(
      `This server cannot tell your session's branch of ${project.name}: leave branch out to add the task for every branch`,
    );
  const { branch } = await store.getOrCreateBranch({ projectId: project.id, name: place.branch, description: '' });
  return { at: { branchId: branch.id }, project: project.name, branch: branch.name };
}

/** One task added; the answer says its id, project, priority and where it is listed. */
export async function addOneTask(ctx: ToolContext, a: OneTask): Promise<Record<string, unknown>> {
  const { task: input, problem } = checkNewTask({ ...a, ...fieldsOfFlags(a), onBranch: a.branch }, '');
  if (problem !== undefined) throw invalid(problem);
  const place = await placeOfTask(ctx, a);
  const task = await addTaskAt(ctx.store, place.at, input);
  const where = place.branch ? { branch: place.branch } : { every_branch: true };
  return { added: task.id, project: place.project, priority: task.priority, ...where };
}
