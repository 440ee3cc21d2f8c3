// The few task tools a coding session is offered: list, add, update. Plain names, short schemas (every request of a
// session without tool search carries them), the session's project unless one is named, and each answer says which
// project it used. A task is added as `taskhooks tasks add` adds one: for every branch, or for the session's branch
// when asked. A write runs as the session's own (actingFor), so its news does not tell it back. Their writes take the
// rules the CLI's take (../agenthub/task-rules.ts); their list is the one pending list (src/tasks/pending.ts) the
// hooks, `tasks list` and the board read too.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';
import { TASK_PRIORITIES, TASK_STATUSES, type Task } from '../../tasks/task.js';
import { pendingOf } from '../../tasks/pending.js';
import { taskOf } from '../../tasks/stored.js';
import { COMPLETED_NOTE } from '../../tasks/rules.js';
import type { Project, TaskRecord } from '../../store/index.js';
import { invalid } from '../../store/errors.js';
import { guarded, type ToolContext } from '../calls.js';
import { family } from './tracker-tools.js';
import { textResult } from '../envelope.js';
import { taskJson } from '../agenthub/json.js';
import { createTaskAt, finishTask, updateTaskAs, type TaskPlace } from '../agenthub/task-rules.js';
import { taskKeyFor } from '../project-scope.js';
import { personOf } from '../principal.js';
import { placeOfHeaders } from './tool-families.js';
import { actingFor } from '../../cache/acting-for.js';

/** How many tasks list_tasks answers: a project's open work fits; more is said, not sent. */
const LIST_MAX = 200;

const PROJECT = z.string().optional().describe("default: this session's");

const shapes = {
  list_tasks: { project: PROJECT, all: z.boolean().optional().describe('include finished') },
  add_task: {
    title: z.string().min(1),
    description: z.string().optional(),
    priority: z.enum(TASK_PRIORITIES).optional(),
    branch: z.boolean().optional().describe("only this session's branch lists it (default: every branch)"),
    project: PROJECT,
  },
  update_task: {
    id: z.string(),
    status: z.enum(TASK_STATUSES).optional(),
    note: z.string().optional().describe('with done: the summary'),
    project: PROJECT,
  },
};

type Args<K extends keyof typeof shapes> = z.infer<z.ZodObject<(typeof shapes)[K]>>;

/**
 * The project a call works in: the one it names, else the session's (known to a server started in its folder or told
 * it), else the store's only project; refused, naming the projects there are, when none of these says.
 */
async function projectOf(ctx: ToolContext, named: string | undefined): Promise<string> {
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

/** A task as the session reads it: few fields, its branch or that every branch lists it. */
function brief(t: Task): Record<string, unknown> {
  return {
    id: t.id,
    title: t.title,
    status: t.status,
    priority: t.priority,
    ...(t.projectTask ? { every_branch: true } : t.branch ? { branch: t.branch } : {}),
    ...(t.claimedBy ? { claimed_by: t.claimedBy } : {}),
  };
}

async function listed(ctx: ToolContext, project: Project, all: boolean): Promise<Record<string, unknown>> {
  const { store } = ctx;
  const names = new Map((await store.listBranches(project.id)).map((b) => [b.id, b.name]));
  const { tasks, total } = await store.listTasks({ projectId: project.id, limit: 1000 });
  const read = tasks.map((r) => {
    const t = taskOf(taskJson(r), { notes: false });
    const name = r.gitBranchId ? names.get(r.gitBranchId) : undefined;
    return name ? { ...t, branch: name } : t;
  });
  const shown = pendingOf(read, all);
  const more = shown.length - LIST_MAX + (total - tasks.length);
  return {
    project: project.name,
    tasks: shown.slice(0, LIST_MAX).map(brief),
    ...(more > 0 ? { more } : {}),
  };
}

const answer = (value: unknown) => textResult(JSON.stringify(value));

async function update(ctx: ToolContext, a: Args<'update_task'>): Promise<TaskRecord> {
  const { store } = ctx;
  if (a.status === undefined && !a.note) throw invalid('update_task needs a status or a note');
  const key = await taskKeyFor(store, ctx.principal, a.id, await projectOf(ctx, a.project));
  if (a.status === 'done') return finishTask(store, key, { summary: a.note || COMPLETED_NOTE });
  if (a.note) await store.addNote(key, a.note, personOf(ctx.principal) ?? '');
  if (a.status === undefined) {
    const task = await store.getTask(key);
    if (!task) throw invalid(`No task ${a.id}`);
    return task;
  }
  return updateTaskAs(store, personOf(ctx.principal), { id: key, patch: { status: a.status } });
}

async function list(ctx: ToolContext, a: Args<'list_tasks'>) {
  const name = await projectOf(ctx, a.project);
  const project = await ctx.store.getProject(name);
  return answer(project ? await listed(ctx, project, a.all === true) : { project: name, tasks: [] });
}

/** Where an added task goes: its project, or the session's branch of it when asked; refused when none is known. */
async function placeOfTask(
  ctx: ToolContext,
  a: Args<'add_task'>,
): Promise<{ at: TaskPlace; project: string; branch?: string }> {
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

async function add(ctx: ToolContext, a: Args<'add_task'>) {
  const { store } = ctx;
  const place = await placeOfTask(ctx, a);
  const task = await createTaskAt(store, place.at, {
    title: a.title,
    ...(a.description ? { description: a.description } : {}),
    ...(a.priority ? { priority: a.priority } : {}),
  });
  const where = place.branch ? { branch: place.branch } : { every_branch: true };
  return answer({ added: task.id, project: place.project, priority: task.priority, ...where });
}

async function change(ctx: ToolContext, a: Args<'update_task'>) {
  const task = await update(ctx, a);
  const project = (await ctx.store.getProject(task.projectId))?.name ?? task.projectId;
  return answer({ id: task.id, project, status: task.status });
}

/** What the SDK hands a tool beside its arguments: the HTTP request's headers, where the call came over HTTP. */
type Extra = { requestInfo?: { headers?: Record<string, string | string[] | undefined> } };

/**
 * The call's context, with where the session works where the HTTP server found it for this request. Else the server's
 * own finder (a stdio server's loads the session's settings) runs once a call, however often the call asks.
 */
function forCall(ctx: ToolContext, extra: Extra | undefined): ToolContext {
  const place = placeOfHeaders(extra?.requestInfo?.headers);
  if (place) return { ...ctx, sessionPlace: () => Promise.resolve(place) };
  const find = ctx.sessionPlace;
  if (!find) return ctx;
  let found: ReturnType<typeof find> | undefined;
  return { ...ctx, sessionPlace: () => (found ??= find()) };
}

export function registerSessionTools(server: McpServer, ctx: ToolContext): void {
  const tool = <K extends keyof typeof shapes>(
    name: K,
    description: string,
    run: (c: ToolContext, a: Args<K>) => Promise<ReturnType<typeof answer>>,
  ): void => {
    server.registerTool(name, { description, inputSchema: shapes[name] }, (async (a: Args<K>, extra: Extra) => {
      const c = forCall(ctx, extra);
      // Found inside guarded: a finder that fails (a session's settings that do not load) is answered and logged.
      const acting = async (args: Args<K>) => actingFor((await c.sessionPlace?.())?.sessionId, () => run(c, args));
      return guarded(c, family, name, acting)(a);
    }) as never);
  };
  tool('list_tasks', "Open tasks of this session's project, most urgent first.", list);
  tool('add_task', "Add a task to this session's project: every branch lists it, or only this one with branch.", add);
  tool('update_task', 'Start, finish or block a task (status), or add a note.', change);
}
