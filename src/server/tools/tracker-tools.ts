// The task-tracking tools (get_next_task, update_task_status, get_next_available_id, reserve_id_range, add_task,
// claim_task, release_task):
// plain JSON answers, refusals as tool errors whose text says what is wrong and what is allowed.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import { invalidPriorityMessage, invalidStatusMessage } from '../../tasks/rules.js';
import { isTaskPriority, isTaskStatus, type TaskStatus } from '../../tasks/task.js';
import { guarded, type ToolContext, type ToolFamily } from '../calls.js';
import { claimTaskAs } from '../agenthub/task-rules.js';
import { claimantOf, personOf } from '../principal.js';
import { LEASE_BOUNDS, type NewTask, type TaskKey, type TaskRecord, type TaskStore } from '../../store/index.js';
import { taskKeyFor } from '../project-scope.js';
import { textResult } from '../envelope.js';
import type { TRACKER_TOOLS } from './tool-families.js';
import { FIELD_ARGS, REQUEST_ID_ARG, fieldPatch, fieldsByArg } from '../task-fields.js';
import { keptListing, freshSequence } from '../listing-cache.js';
import { addOneTask, ONE_TASK_ARGS } from './one-task.js';
import { TaskDbError, invalid } from '../../store/errors.js';

/** The tracker's words for the store's statuses; the store's own words are accepted too. */
const TRACKER_ALIASES: Record<string, TaskStatus> = { pending: 'todo', completed: 'done' };
const TRACKER_NAME: Partial<Record<TaskStatus, string>> = { todo: 'pending', done: 'completed' };
const TRACKER_STATUSES = ['pending', 'in_progress', 'blocked', 'review', 'testing', 'completed', 'cancelled'];
const PENDING: TaskStatus[] = ['in_progress', 'todo'];

function toStoreStatus(value: string): TaskStatus {
  const status = TRACKER_ALIASES[value] ?? value;
  if (!isTaskStatus(status)) throw invalid(`${invalidStatusMessage(value, TRACKER_STATUSES)} (also todo, done)`);
  return status;
}

function trackerTaskJson(t: TaskRecord, projectName: string): Record<string, unknown> {
  return {
    task_id: t.id,
    project_id: projectName,
    title: t.title,
    description: t.description,
    ...fieldsByArg(t),
    status: TRACKER_NAME[t.status] ?? t.status,
    priority: t.priority,
    assignees: t.assignees,
    labels: t.labels,
    dependencies: t.dependencies,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    completed_at: t.completedAt,
    completion_notes: t.completionSummary,
    version: t.version,
    claimed_by: t.claimedBy,
    claim_expires_at: t.claimExpiresAt,
  };
}

const projectNameOf = async (store: TaskStore, t: TaskRecord): Promise<string> =>
  (await store.getProject(t.projectId))?.name ?? t.projectId;

const json = (value: unknown): CallToolResult => textResult(JSON.stringify(value));

/** Plain answers: refusals and failures as tool errors whose text says what is wrong (the session's tools too). */
export const family: ToolFamily = {
  denied: (_tool, message) => textResult(message, true),
  failed: (tool, err, log) => {
    if (err instanceof TaskDbError) return textResult(err.message, true);
    log.error({ err, tool }, 'tool failed unexpectedly');
    return textResult(`Internal error in ${tool}: ${err instanceof Error ? err.message : String(err)}`, true);
  },
};

const NewTrackerTask = z.object({
  task_id: z.string().optional(),
  project_id: z.string().min(1),
  title: z.string().optional(),
  description: z.string().optional(),
  ...FIELD_ARGS,
  status: z.string().optional(),
  priority: z.string().optional(),
  assignees: z.array(z.string()).optional(),
  labels: z.array(z.string()).optional(),
  dependencies: z.array(z.string()).optional(),
});

// Ids are counted per project: a task_id several projects the caller can see hold needs its project named.
const TASK_PROJECT_ARG = z
  .string()
  .optional()
  .describe('the project holding task_id; needed only when the id is in several projects you can see');

/** The task a call's task_id (and project_id, if given) names for the caller. */
const keyOf = (ctx: ToolContext, a: { task_id: string; project_id?: string | undefined }): Promise<TaskKey> =>
  taskKeyFor(ctx.store, ctx.principal, a.task_id, a.project_id);

const shapes = {
  get_next_task: { project_id: z.string(), status_filter: z.string().default('pending') },
  list_tasks: {
    project_id: z.string(),
    since: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('the sequence an earlier answer gave: only the tasks changed after it, and deleted_task_ids'),
  },
  update_task_status: {
    task_id: z.string(),
    project_id: TASK_PROJECT_ARG,
    status: z.string(),
    completion_notes: z.string().default(''),
  },
  get_next_available_id: { artifact_type: z.string().describe('US, SPEC, TASK, …'), project_id: z.string() },
  reserve_id_range: { artifact_type: z.string(), count: z.number().describe('1..100'), project_id: z.string() },
  // The session's single-task form is taken too: a model that knows add_task from a session calls it so.
  add_task: {
    tasks: z.array(NewTrackerTask).min(1).max(500).optional(),
    request_id: REQUEST_ID_ARG,
    ...ONE_TASK_ARGS,
    title: ONE_TASK_ARGS.title.optional(),
  },
  claim_task: {
    task_id: z.string(),
    project_id: TASK_PROJECT_ARG,
    claimant: z
      .string()
      .describe('who takes the task: a person, a session (an authenticated caller is named first: dana/session-7)'),
    lease_seconds: z.number().int().min(LEASE_BOUNDS.min).max(LEASE_BOUNDS.max).default(LEASE_BOUNDS.fallback),
    version: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("the task's version as read: refused when the task has changed since"),
  },
  release_task: { task_id: z.string(), project_id: TASK_PROJECT_ARG, claimant: z.string() },
} satisfies Record<(typeof TRACKER_TOOLS)[number], z.ZodRawShape>;

type Args<K extends keyof typeof shapes> = z.infer<z.ZodObject<(typeof shapes)[K]>>;

/** A title is required by the store; a tracker task may carry only a description. */
function titleOf(t: z.infer<typeof NewTrackerTask>, index: number): string {
  const title = t.title?.trim() || t.description?.split('\n')[0]?.trim().slice(0, 120);
  if (!title) throw invalid(`tasks[${index}] needs a title or a description`);
  return title;
}

/** How many tasks one list_tasks answers: a project's whole list, as the task-tracking tools have no paging. */
const LIST_MAX = 1000;

/**
 * list_tasks: the whole list, or with `since` the delta after it (the whole list, `full`, when none can be told);
 * serialized.
 */
async function listProjectTasks(store: TaskStore, a: Args<'list_tasks'>): Promise<string> {
  // Cached by the project's name as given: at one store sequence a name always means the same project (a rename
  // moves the sequence too), and a delta since a given sequence is the same for every monitor that asks. Each answer
  // carries the project's own sequence, 0 for a project not created yet, so that all its tasks count as changes once
  // it is.
  const key = JSON.stringify(['list_tasks', a.project_id, a.since ?? null]);
  return keptListing(store, await freshSequence(store), key, async () => {
    const { project, sequence = 0 } = await store.listingScope({ project: a.project_id });
    if (!project) return JSON.stringify({ project_id: a.project_id, sequence, tasks: [] });
    const json = (t: TaskRecord): Record<string, unknown> => trackerTaskJson(t, project.name);
    let full = {};
    if (a.since !== undefined) {
      const delta = await store.changesSince({ projectId: project.id }, a.since);
      if (!delta.full) {
        const answer = {
          project_id: project.name,
          sequence: delta.sequence,
          full: false,
          tasks: delta.tasks.map(json),
        };
        return JSON.stringify({ ...answer, deleted_task_ids: delta.deletedIds });
      }
      full = { full: true, why: delta.why };
    }
    const { tasks, total } = await store.listTasks({ projectId: project.id, limit: LIST_MAX });
    return JSON.stringify({ project_id: project.name, sequence, ...full, tasks: tasks.map(json), total });
  });
}

/** `add_task`'s batch as the store's new tasks, each project made where it is new; a bad priority refuses the batch. */
async function newTasks(
  store: ToolContext['store'],
  tasks: NonNullable<Args<'add_task'>['tasks']>,
): Promise<NewTask[]> {
  const inputs: NewTask[] = [];
  for (const [i, t] of tasks.entries()) {
    if (t.priority !== undefined && !isTaskPriority(t.priority))
      throw invalid(`tasks[${i}]: ${invalidPriorityMessage(t.priority)}`);
    inputs.push({
      ...(t.task_id ? { id: t.task_id } : {}),
      projectId: (await store.getOrCreateProject({ name: t.project_id })).project.id,
      title: titleOf(t, i),
      description: t.description ?? '',
      ...fieldPatch(t),
      ...(t.status !== undefined ? { status: toStoreStatus(t.status) } : {}),
      ...(t.priority !== undefined && isTaskPriority(t.priority) ? { priority: t.priority } : {}),
      assignees: t.assignees ?? [],
      labels: t.labels ?? [],
      dependencies: t.dependencies ?? [],
    });
  }
  return inputs;
}

/** The tools that read and write tasks. */
function registerTaskTools(server: McpServer, ctx: ToolContext): void {
  const { store } = ctx;
  server.registerTool(
    'get_next_task',
    {
      description:
        'Next task of a project (status_filter "pending" = todo or in progress; else one status); null when none.',
      inputSchema: shapes.get_next_task,
    },
    guarded(ctx, family, 'get_next_task', async (a: Args<'get_next_task'>) => {
      const statuses = a.status_filter === 'pending' ? PENDING : [toStoreStatus(a.status_filter)];
      const project = await store.getProject(a.project_id);
      const { task } = project ? await store.nextTask({ projectId: project.id, statuses }) : { task: null };
      return json(task && project ? trackerTaskJson(task, project.name) : null);
    }),
  );
  server.registerTool(
    'list_tasks',
    {
      description: `Every task of a project (at most ${LIST_MAX}) and a sequence number: passed back as since, only the tasks changed after it.`,
      inputSchema: shapes.list_tasks,
    },
    guarded(ctx, family, 'list_tasks', async (a: Args<'list_tasks'>) => textResult(await listProjectTasks(store, a))),
  );
  server.registerTool(
    'update_task_status',
    { description: `Set a task's status (${TRACKER_STATUSES.join(' | ')}).`, inputSchema: shapes.update_task_status },
    guarded(ctx, family, 'update_task_status', async (a: Args<'update_task_status'>) => {
      const status = toStoreStatus(a.status);
      const task = await store.setStatus(await keyOf(ctx, a), status, a.completion_notes || undefined);
      return json(trackerTaskJson(task, await projectNameOf(store, task)));
    }),
  );
  server.registerTool(
    'add_task',
    {
      description:
        'Add a batch of tasks (all or none); each needs project_id and a title or description. With request_id, a retry of a batch that landed answers the first answer. Or one task: title and its fields, no tasks.',
      inputSchema: shapes.add_task,
    },
    guarded(ctx, family, 'add_task', async (a: Args<'add_task'>) => {
      const { tasks, title } = a;
      if ((tasks === undefined) === (title === undefined))
        throw invalid('add_task takes tasks (a batch, each with project_id) or title (one task), not both nor neither');
      if (title !== undefined) return json(await addOneTask(ctx, { ...a, title }));
      const created = await store.createTasks(await newTasks(store, tasks ?? []));
      return json({ success: true, tasks_added: created.length, task_ids: created.map((t) => t.id) });
    }),
  );
}

/** The tools that hand out ids and hold claims. */
function registerIdAndClaimTools(server: McpServer, ctx: ToolContext): void {
  const { store } = ctx;
  server.registerTool(
    'get_next_available_id',
    {
      description: 'Hand out the next sequential id of an artifact type in a project, e.g. "US-028".',
      inputSchema: shapes.get_next_available_id,
    },
    guarded(ctx, family, 'get_next_available_id', async (a: Args<'get_next_available_id'>) =>
      textResult(
        await store.nextId((await store.getOrCreateProject({ name: a.project_id })).project.id, a.artifact_type),
      ),
    ),
  );
  server.registerTool(
    'reserve_id_range',
    {
      description: 'Reserve count (1..100) contiguous ids of an artifact type in a project.',
      inputSchema: shapes.reserve_id_range,
    },
    guarded(ctx, family, 'reserve_id_range', async (a: Args<'reserve_id_range'>) => {
      const r = await store.reserveIds(
        (await store.getOrCreateProject({ name: a.project_id })).project.id,
        a.artifact_type,
        a.count,
      );
      return json({ reservation_id: r.reservationId, reserved_ids: r.reservedIds, expires_at: r.expiresAt });
    }),
  );
  server.registerTool(
    'claim_task',
    {
      description: `Take a task for lease_seconds (default ${LEASE_BOUNDS.fallback}), and again to keep it longer; refused while someone else holds it.`,
      inputSchema: shapes.claim_task,
    },
    guarded(ctx, family, 'claim_task', async (a: Args<'claim_task'>) => {
      const claimant = claimantOf(ctx.principal, a.claimant) ?? a.claimant;
      const task = await claimTaskAs(store, personOf(ctx.principal), {
        taskId: await keyOf(ctx, a),
        claimant,
        leaseSeconds: a.lease_seconds,
        ...(a.version !== undefined ? { version: a.version } : {}),
      });
      return json(trackerTaskJson(task, await projectNameOf(store, task)));
    }),
  );
  server.registerTool(
    'release_task',
    { description: 'Let go of a task taken with claim_task.', inputSchema: shapes.release_task },
    guarded(ctx, family, 'release_task', async (a: Args<'release_task'>) => {
      const task = await store.releaseTask(await keyOf(ctx, a), claimantOf(ctx.principal, a.claimant) ?? a.claimant);
      return json(trackerTaskJson(task, await projectNameOf(store, task)));
    }),
  );
}

export function registerTrackerTools(server: McpServer, ctx: ToolContext): void {
  registerTaskTools(server, ctx);
  registerIdAndClaimTools(server, ctx);
}
