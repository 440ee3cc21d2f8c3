// Work records on PostgreSQL: what each session did on a task (src/store/work-records.ts has their meaning), shared
// by every home whose sessions work on the team's tasks. Commits and files are jsonb, read back as arrays.
import type { TaskStore } from '../store.js';
import { recordOfRow, WORK_COLUMNS, WORK_UPSERT_RULE, type WorkRecord, type WorkRow } from '../work-records.js';
import type { PgConnection } from './connection.js';
import { all } from './query.js';

type Methods = 'addWorkRecord' | 'listWorkRecords' | 'forgetWorkRecords' | 'recentWorkRecords';

/** jsonb columns come back parsed: read as they are. */
export const toRecord = (r: WorkRow<unknown>): WorkRecord => recordOfRow(r, (list) => list);

const UPSERT = `INSERT INTO work_records (${WORK_COLUMNS})
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11, $12::jsonb, $13)
  ${WORK_UPSERT_RULE}`;

export function workRecordQueries(c: PgConnection): Pick<TaskStore, Methods> {
  return {
    addWorkRecord: async (r) => {
      await c.db.query(UPSERT, [
        r.projectId,
        r.taskId,
        r.sessionId,
        r.agent,
        r.branch,
        r.machine,
        r.startedAt,
        r.endedAt,
        JSON.stringify(r.commits),
        JSON.stringify(r.uncommitted),
        r.statusTo,
        JSON.stringify(r.statusChanges),
        r.closingWords,
      ]);
    },
    listWorkRecords: async (key) =>
      (
        await all<WorkRow<unknown>>(
          c.db,
          `SELECT ${WORK_COLUMNS} FROM work_records WHERE project_id = $1 AND task_id = $2 ORDER BY ended_at DESC, id DESC`,
          [key.projectId, key.id],
        )
      ).map(toRecord),
    forgetWorkRecords: async (key) =>
      (await c.db.query('DELETE FROM work_records WHERE project_id = $1 AND task_id = $2', [key.projectId, key.id]))
        .rowCount ?? 0,
    recentWorkRecords: async (q) =>
      (
        await all<WorkRow<unknown>>(
          c.db,
          `SELECT ${WORK_COLUMNS} FROM work_records WHERE project_id = $1 AND (branch = $2 OR task_id = ANY($3::text[]))
           ORDER BY ended_at DESC, id DESC LIMIT $4`,
          [q.projectId, q.branch, [...q.taskIds], q.limit],
        )
      ).map(toRecord),
  };
}
