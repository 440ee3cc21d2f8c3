// Work records on a team's server (`taskhooks serve`): a session's record sent when it ends, and the records a
// teammate's session start or `tasks show` reads, through manage_task's add_work_record and list_work_records.
import { z } from 'zod';
import { WorkRecordJson, workJson, workOfJson } from '../../server/agenthub/work-json.js';
import type { WorkRecord } from '../../store/index.js';
import type { Scope } from '../../tasks/scope.js';
import type { Deadline } from '../../util/deadline.js';
import { AnyData } from './schema.js';
import { call, type Hub } from './hub.js';

const WorkList = z.looseObject({
  work_records: z.array(WorkRecordJson.extend({ task_id: z.string() })),
});

/** The records an answer carries, of `project` (by name: a home knows the server's projects by their names). */
function recordsOf(answer: z.output<typeof WorkList>, project: string): WorkRecord[] {
  return answer.work_records.map((r) => workOfJson(r, { projectId: project, id: r.task_id }));
}

/** Keeps `record` with its task, in `project`; a status left null is the server's status of the task. */
export async function sendWorkRecord(h: Hub, record: WorkRecord, project: string, d: Deadline): Promise<void> {
  const { task_id, ...work_record } = workJson(record);
  await call(h, 'manage_task', { action: 'add_work_record', task_id, project_id: project, work_record }, AnyData, d);
}

export async function taskWorkRecords(h: Hub, id: string, project: string, d: Deadline): Promise<WorkRecord[]> {
  const args = { action: 'list_work_records', task_id: id, ...(project ? { project_id: project } : {}) };
  return recordsOf(await call(h, 'manage_task', args, WorkList, d), project);
}

/** The records a session starting in `scope` is told of: its branch's and those of `taskIds`, newest first. */
export async function recentWork(
  h: Hub,
  scope: Scope,
  ask: { taskIds: readonly string[]; limit: number },
  d: Deadline,
): Promise<WorkRecord[]> {
  const args = {
    action: 'list_work_records',
    project_id: scope.project,
    branch: scope.branch,
    task_ids: [...ask.taskIds],
    limit: ask.limit,
  };
  return recordsOf(await call(h, 'manage_task', args, WorkList, d), scope.project);
}
