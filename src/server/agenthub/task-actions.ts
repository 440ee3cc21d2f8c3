// manage_task: every task action of the agenthub protocol, answered in its envelope.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolContext } from '../calls.js';
import { LEASE_BOUNDS, type TaskKey, type TaskPatch } from '../../store/index.js';
import { success } from '../envelope.js';
import { noSuch, requirePriority, requireStatus } from '../../store/errors.js';
import { TASK_ACTIONS, requireArg, toInt, toList, unknownAction, type TaskArgs } from './args.js';
import { noteJson, taskJson } from './json.js';
import { branchOrProjectFilter, listTasks } from './task-list.js';
import { claimantOf, personOf } from '../principal.js';
import { taskKeyFor } from '../project-scope.js';
import { fieldPatch } from '../task-fields.js';
import { claimTaskAs, createTaskAt, finishTask, updateTaskAs } from './task-rules.js';
import { workAction } from './work-actions.js';

function taskPatch(a: TaskArgs): TaskPatch {
  const patch: TaskPatch = fieldPatch(a);
  if (a.title !== undefined) patch.title = a.title;
  if (a.description !== undefined) patch.description = a.description;
  if (a.status !== undefined) patch.status = requireStatus(a.status);
  if (a.priority !== undefined) patch.priority = requirePriority(a.priority);
  if (a.assignees !== undefined) patch.assignees = toList(a.assignees);
  if (a.labels !== undefined) patch.labels = toList(a.labels);
  if (a.dependencies !== undefined) patch.dependencies = toList(a.dependencies);
  return patch;
}

/**
 * The task a call names: `task_id`, in `project_id` when given, else in the one project the caller may see that holds
 * it (ids are counted per project).
 */
async function taskOf(ctx: ToolContext, a: TaskArgs): Promise<{ id: string; key: TaskKey }> {
  const id = requireArg(a.task_id, 'task_id', a.action);
  return { id, key: await taskKeyFor(ctx.store, ctx.principal, id, a.project_id) };
}

/** The version a compare-and-set names, if any. */
const versionOf = (a: TaskArgs): number | undefined =>
  a.version === undefined || a.version === '' ? undefined : toInt(a.version, 'version', 1, Number.MAX_SAFE_INTEGER, 1);

async function createTask(ctx: ToolContext, a: TaskArgs): Promise<CallToolResult> {
  const op = a.action;
  const title = requireArg(a.title, 'title', op);
  const place = a.git_branch_id
    ? { branchId: a.git_branch_id }
    : { project: requireArg(a.project_id, 'git_branch_id', op) };
  const task = await createTaskAt(ctx.store, place, { ...taskPatch(a), title });
  return success(op, { task: taskJson(task), message: `Task ${task.id} created` });
}

async function updateTask(ctx: ToolContext, a: TaskArgs): Promise<CallToolResult> {
  const op = a.action;
  const { id, key } = await taskOf(ctx, a);
  const task = await updateTaskAs(ctx.store, personOf(ctx.principal), {
    id: key,
    patch: taskPatch(a),
    branchId: a.git_branch_id,
    version: versionOf(a),
  });
  return success(op, { task: taskJson(task), message: `Task ${id} updated` });
}

async function claimTask(ctx: ToolContext, a: TaskArgs): Promise<CallToolResult> {
  const { store } = ctx;
  const op = a.action;
  const { id, key } = await taskOf(ctx, a);
  const claimant = requireArg(claimantOf(ctx.principal, a.claimant), 'claimant', op);
  const leaseSeconds = toInt(
    a.lease_seconds,
    'lease_seconds',
    LEASE_BOUNDS.min,
    LEASE_BOUNDS.max,
    LEASE_BOUNDS.fallback,
  );
  const version = versionOf(a);
  const task = await claimTaskAs(store, personOf(ctx.principal), {
    taskId: key,
    claimant,
    leaseSeconds,
    ...(version !== undefined ? { version } : {}),
  });
  return success(op, {
    task: taskJson(task),
    message: `Task ${id} claimed by ${claimant} until ${task.claimExpiresAt}`,
  });
}

async function getTask(ctx: ToolContext, a: TaskArgs): Promise<CallToolResult> {
  const { id, key } = await taskOf(ctx, a);
  const task = await ctx.store.getTask(key);
  if (!task) throw noSuch('Task', id);
  return success(a.action, { task: { ...taskJson(task), notes: (await ctx.store.listNotes(key)).map(noteJson) } });
}

async function completeTask(ctx: ToolContext, a: TaskArgs): Promise<CallToolResult> {
  const { id, key } = await taskOf(ctx, a);
  const task = await finishTask(ctx.store, key, { summary: a.completion_summary, testing: a.testing_notes });
  return success(a.action, { task: taskJson(task), message: `Task ${id} completed` });
}

async function nextTask(ctx: ToolContext, a: TaskArgs): Promise<CallToolResult> {
  const { store } = ctx;
  const { task, waitingOnDependencies } = await store.nextTask(await branchOrProjectFilter(store, a));
  const message = task
    ? `Next task: ${task.title}`
    : waitingOnDependencies > 0
      ? `No actionable task: ${waitingOnDependencies} open task(s) wait on unfinished dependencies`
      : 'No actionable tasks found';
  return success(a.action, {
    task: { has_next: task !== null, next_item: task && taskJson(task), context: null, message },
  });
}

async function changeDependency(ctx: ToolContext, a: TaskArgs): Promise<CallToolResult> {
  const { store } = ctx;
  const { key } = await taskOf(ctx, a);
  const dep = requireArg(a.dependency_id, 'dependency_id', a.action);
  const task =
    a.action === 'add_dependency' ? await store.addDependency(key, dep) : await store.removeDependency(key, dep);
  return success(a.action, { task: taskJson(task) });
}

export async function manageTask(ctx: ToolContext, a: TaskArgs): Promise<CallToolResult> {
  const { store } = ctx;
  const op = a.action;
  const work = workAction(ctx, a);
  if (work) return work;
  switch (a.action) {
    case 'create':
      return createTask(ctx, a);
    case 'update':
      return updateTask(ctx, a);
    case 'claim':
      return claimTask(ctx, a);
    case 'get':
      return getTask(ctx, a);
    case 'complete':
      return completeTask(ctx, a);
    case 'delete': {
      const { id, key } = await taskOf(ctx, a);
      await store.deleteTask(key);
      return success(op, { task_id: id, deleted: true, message: `Task ${id} deleted` });
    }
    case 'list':
    case 'search':
      return listTasks(store, a);
    case 'next':
      return nextTask(ctx, a);
    case 'add_dependency':
    case 'remove_dependency':
      return changeDependency(ctx, a);
    case 'release': {
      const { id, key } = await taskOf(ctx, a);
      const task = await store.releaseTask(key, requireArg(claimantOf(ctx.principal, a.claimant), 'claimant', op));
      return success(op, { task: taskJson(task), message: `Task ${id} released` });
    }
    case 'add_note': {
      const { id, key } = await taskOf(ctx, a);
      const note = await store.addNote(key, requireArg(a.note, 'note', op), a.author ?? '');
      return success(op, { note: noteJson(note), message: `Note added to task ${id}` });
    }
    default:
      throw unknownAction(a.action, TASK_ACTIONS);
  }
}
