// manage_task's work-record actions: a home's session that ended on a task sends its record (`add_work_record`), and
// a teammate's session start or `tasks show` reads them (`list_work_records`), on whichever engine the server runs.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolContext } from '../calls.js';
import { invalid, noSuch } from '../../store/errors.js';
import { success } from '../envelope.js';
import { taskKeyFor } from '../project-scope.js';
import { requireArg, toInt, toList, type TaskArgs } from './args.js';
import { WorkRecordJson, workJson, workOfJson } from './work-json.js';

/** How many records a session start asks for at most: a few sessions, never a task's history. */
const RECENT_MOST = 20;

async function addWorkRecord(ctx: ToolContext, a: TaskArgs): Promise<CallToolResult> {
  const id = requireArg(a.task_id, 'task_id', a.action);
  const key = await taskKeyFor(ctx.store, ctx.principal, id, a.project_id);
  const parsed = WorkRecordJson.safeParse(a.work_record ?? {});
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.') || 'work_record'}: ${i.message}`).join('; ');
    throw invalid(`Invalid work_record (${where})`);
  }
  const task = await ctx.store.getTask(key);
  if (!task) throw noSuch('Task', id);
  const record = workOfJson({ ...parsed.data, status_to: parsed.data.status_to ?? task.status }, key);
  await ctx.store.addWorkRecord(record);
  return success(a.action, { work_record: workJson(record), message: `Work record kept for task ${id}` });
}

async function listWorkRecords(ctx: ToolContext, a: TaskArgs): Promise<CallToolResult> {
  const { store } = ctx;
  if (a.task_id?.trim()) {
    const key = await taskKeyFor(store, ctx.principal, a.task_id.trim(), a.project_id);
    return success(a.action, { work_records: (await store.listWorkRecords(key)).map(workJson) });
  }
  const named = requireArg(a.project_id, 'project_id or task_id', a.action);
  const project = await store.getProject(named);
  if (!project) throw noSuch('Project', named);
  const records = await store.recentWorkRecords({
    projectId: project.id,
    branch: a.branch?.trim() ?? '',
    taskIds: toList(a.task_ids) ?? [],
    limit: toInt(a.limit, 'limit', 1, RECENT_MOST, 3),
  });
  return success(a.action, { work_records: records.map(workJson) });
}

/** One of the work-record actions, or undefined for another action. */
export function workAction(ctx: ToolContext, a: TaskArgs): Promise<CallToolResult> | undefined {
  if (a.action === 'add_work_record') return addWorkRecord(ctx, a);
  if (a.action === 'list_work_records') return listWorkRecords(ctx, a);
  if (a.work_record !== undefined) throw invalid(`work_record is for add_work_record, not ${a.action}`);
  return undefined;
}
