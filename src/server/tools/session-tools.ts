// The few task tools a coding session is offered: list, add, update. Plain names, short schemas (every request of a
// session without tool search carries them), the session's project unless one is named, and each answer says which
// project it used. A task is added as `taskhooks tasks add` adds one: for every branch, or for the session's branch
// when asked. A write runs as the session's own (actingFor), so its news does not tell it back. Their writes take the
// rules the CLI's take (../agenthub/task-rules.ts); their list is the one pending list (src/tasks/pending.ts) the
// hooks, `tasks list` and the board read too.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';
import { TASK_STATUSES } from '../../tasks/task.js';
import { COMPLETED_NOTE } from '../../tasks/rules.js';
import { invalid } from '../../store/errors.js';
import { guarded, type ToolContext } from '../calls.js';
import { family } from './tracker-tools.js';
import { textResult } from '../envelope.js';
import { finishTask, updateTaskAs } from '../agenthub/task-rules.js';
import { taskKeyFor } from '../project-scope.js';
import { personOf } from '../principal.js';
import { placeOfHeaders } from './tool-families.js';
import { listed } from './task-list.js';
import { ADD_ONE_TASK, addOneTask, ONE_TASK_ARGS, PROJECT, projectOf } from './one-task.js';
import { actingFor } from '../../cache/acting-for.js';

/** How many tasks list_tasks answers: a project's open work fits; more is said, not sent. */

const shapes = {
  list_tasks: { project: PROJECT, all: z.boolean().optional().describe('include finished') },
  add_task: ONE_TASK_ARGS,
  update_task: {
    id: z.string(),
    status: z.enum(TASK_STATUSES).optional(),
    note: z.string().optional().describe('with done: the summary'),
    project: PROJECT,
  },
};

type Args<K extends keyof typeof shapes> = z.infer<z.ZodObject<(typeof shapes)[K]>>;

const answer = (value: unknown) => textResult(JSON.stringify(value));

async function update(ctx: ToolContext, a: Args<'update_task'>) {
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
  tool('list_tasks', 'Open tasks, most urgent first.', list);
  tool('add_task', ADD_ONE_TASK, (c, a) => addOneTask(c, a).then(answer));
  tool('update_task', 'Start, finish or block a task (status), or add a note.', change);
}
