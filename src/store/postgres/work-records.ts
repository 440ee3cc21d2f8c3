// Work records on PostgreSQL: what each session did on a task (src/store/work-records.ts has their meaning), shared
// by every home whose sessions work on the team's tasks. Commits and files are jsonb, read back as arrays.
import type { TaskStore } from '../store.js';
import { isCommit, isStatusChange, isText, listOf, type WorkRecord } from '../work-records.js';
import type { PgConnection } from './connection.js';
import { all } from './query.js';

type Methods = 'addWorkRecord' | 'listWorkRecords' | 'forgetWorkRecords' | 'recentWorkRecords';

const COLUMNS = `project_id, task_id, session_id, agent, branch, machine, started_at, ended_at, commits, uncommitted,
  status_to, status_changes, closing_words`;

interface WorkRow {
  project_id: string;
  task_id: string;
  session_id: string;
  agent: string;
  branch: string;
  machine: string;
  started_at: string;
  ended_at: string;
  commits: unknown;
  uncommitted: unknown;
  status_to: string | null;
  status_changes: unknown;
  closing_words: string | null;
}

const toRecord = (r: WorkRow): WorkRecord => ({
  projectId: r.project_id,
  taskId: r.task_id,
  sessionId: r.session_id,
  agent: r.agent,
  branch: r.branch,
  machine: r.machine,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  commits: listOf(r.commits, isCommit),
  uncommitted: listOf(r.uncommitted, isText),
  statusTo: r.status_to,
  statusChanges: listOf(r.status_changes, isStatusChange),
  closingWords: r.closing_words,
});

// A later write of the same session without closing words (a SessionEnd after a Stop that had some) keeps the earlier.
const UPSERT = `INSERT INTO work_records (project_id, task_id, session_id, agent, branch, machine, started_at, ended_at,
    commits, uncommitted, status_to, status_changes, closing_words)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11, $12::jsonb, $13)
  ON CONFLICT (project_id, task_id, session_id, started_at) DO UPDATE SET agent = excluded.agent,
    branch = excluded.branch, machine = excluded.machine, ended_at = excluded.ended_at, commits = excluded.commits,
    uncommitted = excluded.uncommitted, status_to = excluded.status_to, status_changes = excluded.status_changes,
    closing_words = COALESCE(excluded.closing_words, work_records.closing_words)`;

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
        await all<WorkRow>(
          c.db,
          `SELECT ${COLUMNS} FROM work_records WHERE project_id = $1 AND task_id = $2 ORDER BY ended_at DESC, id DESC`,
          [key.projectId, key.id],
        )
      ).map(toRecord),
    forgetWorkRecords: async (key) =>
      (await c.db.query('DELETE FROM work_records WHERE project_id = $1 AND task_id = $2', [key.projectId, key.id]))
        .rowCount ?? 0,
    recentWorkRecords: async (q) =>
      (
        await all<WorkRow>(
          c.db,
          `SELECT ${COLUMNS} FROM work_records WHERE project_id = $1 AND (branch = $2 OR task_id = ANY($3::text[]))
           ORDER BY ended_at DESC, id DESC LIMIT $4`,
          [q.projectId, q.branch, [...q.taskIds], q.limit],
        )
      ).map(toRecord),
  };
}
