// Export and import on PostgreSQL: the plan is the SQLite store's (../transfer.ts); this file reads the rows and
// writes them back, each row as it is in the file. Which project a repository is belongs to each home's own tasks.db:
// a PostgreSQL store keeps none, and an import says so of the file's.
import { EXPORT_FORMAT, EXPORT_VERSION } from '../transfer-format.js';
import type { ExportedIdCounter, ExportedNote, ExportedReservation, StoreExport } from '../transfer-schema.js';
import {
  changeOf,
  exportedTask,
  exportedTaskRow,
  planImport,
  TASK_EXPORT_COLUMNS,
  WORK_COLUMN_LIST,
  WORK_KEY,
  type ExportedTask,
  type Kind,
  type Row,
  type StoreRows,
} from '../transfer.js';
import { workRecordRow, type WorkRecord, type WorkRow } from '../work-records.js';
import { now, toBranch, toProject, type BranchRow, type ProjectRow } from '../rows.js';
import type { TaskStore } from '../store.js';
import type { GitBranch, Project } from '../types.js';
import type { PgConnection } from './connection.js';
import { all, type Q } from './query.js';
import { raiseCounter } from './ids.js';
import { toTask, type TaskRow } from './tasks.js';
import { toRecord } from './work-records.js';

async function readAll(q: Q): Promise<StoreRows> {
  return {
    projects: (await all<ProjectRow>(q, 'SELECT * FROM projects ORDER BY seq')).map(toProject),
    branches: (await all<BranchRow>(q, 'SELECT * FROM git_branches ORDER BY seq')).map(toBranch),
    tasks: (await all<TaskRow>(q, 'SELECT * FROM tasks ORDER BY seq')).map(toTask).map(exportedTask),
    idCounters: await all<ExportedIdCounter>(
      q,
      'SELECT project_id AS "projectId", artifact_type AS "artifactType", last_assigned AS "lastAssigned" FROM id_counters ORDER BY seq',
    ),
    reservations: await all<ExportedReservation>(
      q,
      `SELECT id, project_id AS "projectId", artifact_type AS "artifactType", first_number AS "firstNumber", count,
       created_at AS "createdAt", expires_at AS "expiresAt" FROM id_reservations ORDER BY seq`,
    ),
    notes: await all<ExportedNote>(
      q,
      `SELECT project_id AS "projectId", task_id AS "taskId", author, text, created_at AS "createdAt"
       FROM task_notes ORDER BY id`,
    ),
    workRecords: (await all<WorkRow<unknown>>(q, 'SELECT * FROM work_records ORDER BY id')).map(toRecord),
    repositories: [],
  };
}

/**
 * Per kind: the table, its columns in the order `values` gives them, the values of a row, and the columns of its key
 * (the id, unless named; none for a note, which an import only ever adds).
 */
const UPSERT: Record<
  Exclude<Kind, 'repositories'>,
  { table: string; columns: string[]; values: (row: never) => unknown[]; bump?: string; key?: string[] | null }
> = {
  projects: {
    table: 'projects',
    columns: ['id', 'name', 'description', 'created_at', 'updated_at'],
    values: (p: Project) => [p.id, p.name, p.description, p.createdAt, p.updatedAt],
  },
  branches: {
    table: 'git_branches',
    columns: ['id', 'project_id', 'name', 'description', 'created_at', 'updated_at'],
    values: (b: GitBranch) => [b.id, b.projectId, b.name, b.description, b.createdAt, b.updatedAt],
  },
  tasks: {
    table: 'tasks',
    columns: TASK_EXPORT_COLUMNS,
    values: (t: ExportedTask) => {
      const row = exportedTaskRow(t);
      return TASK_EXPORT_COLUMNS.map((col) => row[col]);
    },
    // A replaced task is a new version of it: a claim or update naming the old one is refused.
    bump: ', version = tasks.version + 1',
    key: ['project_id', 'id'],
  },
  reservations: {
    table: 'id_reservations',
    columns: ['id', 'project_id', 'artifact_type', 'first_number', 'count', 'created_at', 'expires_at'],
    values: (r: ExportedReservation) => [
      r.id,
      r.projectId,
      r.artifactType,
      r.firstNumber,
      r.count,
      r.createdAt,
      r.expiresAt,
    ],
  },
  notes: {
    table: 'task_notes',
    columns: ['project_id', 'task_id', 'author', 'text', 'created_at'],
    values: (n: ExportedNote) => [n.projectId, n.taskId, n.author, n.text, n.createdAt],
    key: null,
  },
  workRecords: {
    table: 'work_records',
    columns: WORK_COLUMN_LIST,
    values: (r: WorkRecord) => {
      const row = workRecordRow(r);
      return WORK_COLUMN_LIST.map((col) => row[col]);
    },
    key: WORK_KEY,
  },
};

/** Writes one imported row as it is in the file: inserted, or replacing the row with its key. */
async function upsert(q: Q, kind: Exclude<Kind, 'repositories'>, row: Row): Promise<void> {
  const { table, columns, values, bump = '', key = ['id'] } = UPSERT[kind];
  const sets = columns.filter((col) => !key?.includes(col)).map((col) => `${col} = excluded.${col}`);
  const conflict = key ? ` ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${sets.join(', ')}${bump}` : '';
  await q.query(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})${conflict}`,
    values(row as never),
  );
}

export function transfer(c: PgConnection): Pick<TaskStore, 'exportData' | 'importData'> {
  return {
    // One REPEATABLE READ snapshot: the file is one moment of the store while other processes go on writing.
    exportData: async () => {
      const client = await c.pool.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const rows = await readAll(client);
        await client.query('COMMIT');
        return { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: now(), ...rows } satisfies StoreExport;
      } finally {
        client.release();
      }
    },
    // The tables are locked against other writers for the import, so what it planned from is what it writes over.
    importData: (data, options = {}) =>
      c.tx(async (q, changes) => {
        await q.query(
          `LOCK TABLE projects, git_branches, tasks, id_counters, id_reservations, task_notes, work_records
           IN SHARE ROW EXCLUSIVE MODE`,
        );
        const p = planImport({ ...data, repositories: [] }, await readAll(q), options);
        const { length } = data.repositories;
        if (length > 0)
          p.report.notKept.push(
            `${length} ${length === 1 ? 'repository' : 'repositories'} and the project each is: a PostgreSQL store keeps none (each home's tasks.db keeps its own)`,
          );
        if (!p.apply) return p.report;
        for (const [kind, row] of [...p.adds, ...p.updates]) {
          // Planned without the file's repositories: none come here.
          if (kind === 'repositories') continue;
          await upsert(q, kind, row);
          const change = changeOf(kind, row);
          if (change) changes.add(change.projectId, change.taskIds);
        }
        for (const k of p.counters) await raiseCounter(q, k.projectId, k.artifactType, k.lastAssigned);
        return { ...p.report, applied: true };
      }),
  };
}
