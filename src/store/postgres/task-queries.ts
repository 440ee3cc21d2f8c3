// Reading tasks by filter on PostgreSQL: list with paging and sort, the next actionable task, the count. The SQL is
// built per call from the filter's parts, values always bound as parameters.
import { BRANCH_TASKS_SQL, PRIORITY_ORDER_SQL, SEARCHED_COLUMNS, STARTED_FIRST_SQL, orderOf } from '../task-queries.js';
import type { TaskStore } from '../store.js';
import type { TaskFilter } from '../types.js';
import type { PgConnection } from './connection.js';
import { dependencyKey, dependencyPrefixes } from '../dependency-ref.js';
import { all, one, type Q } from './query.js';
import { toTask, type TaskRow } from './tasks.js';

export function filterTerms(filter: TaskFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.projectId) where.push(`project_id = ${p(filter.projectId)}`);
  if (filter.gitBranchId) where.push(BRANCH_TASKS_SQL(p(filter.gitBranchId), p(filter.gitBranchId)));
  if (filter.statuses?.length) where.push(`status = ANY(${p(filter.statuses)}::text[])`);
  if (filter.priorities?.length) where.push(`priority = ANY(${p(filter.priorities)}::text[])`);
  if (filter.assignees?.length) where.push(`assignees ?| ${p(filter.assignees)}::text[]`);
  if (filter.labels?.length) where.push(`labels ?| ${p(filter.labels)}::text[]`);
  if (filter.query) {
    const like = p(`%${filter.query.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
    const text = SEARCHED_COLUMNS.map((col) => `${col} ILIKE ${like}`);
    where.push(`(${text.join(' OR ')} OR labels::text ILIKE ${like} OR id = ${p(filter.query)})`);
  }
  return { where, params };
}

/**
 * Whether a row's dependency is done, for every dependency of `rows`, from two reads: the projects the dependencies
 * name and the done tasks among them. A bare id is a task of the row's project (ids are counted per project).
 */
async function doneDependencies(db: Q, rows: readonly TaskRow[]): Promise<(projectId: string, dep: string) => boolean> {
  const deps = [...new Set(rows.flatMap((r) => r.dependencies))];
  const prefixes = dependencyPrefixes(deps);
  const projects = new Set(
    prefixes.length === 0
      ? []
      : (await all<{ id: string }>(db, 'SELECT id FROM projects WHERE id = ANY($1::text[])', [prefixes])).map(
          (r) => r.id,
        ),
  );
  const isProject = (id: string): boolean => projects.has(id);
  const keys = rows.flatMap((r) => r.dependencies.map((d) => dependencyKey(r.project_id, d, isProject)));
  const done = new Set(
    (
      await all<{ project_id: string; id: string }>(
        db,
        "SELECT project_id, id FROM tasks WHERE status = 'done' AND id = ANY($1::text[])",
        [[...new Set(keys.map((k) => k.id))]],
      )
    ).map((r) => `${r.project_id}\0${r.id}`),
  );
  return (projectId, dep) => {
    const key = dependencyKey(projectId, dep, isProject);
    return done.has(`${key.projectId}\0${key.id}`);
  };
}

export function taskQueries(c: PgConnection): Pick<TaskStore, 'listTasks' | 'nextTask' | 'countTasks'> {
  const { db } = c;
  return {
    listTasks: async (filter = {}) => {
      const { where, params } = filterTerms(filter);
      const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = Number((await one<{ n: string }>(db, `SELECT COUNT(*) AS n FROM tasks ${clause}`, params))?.n ?? 0);
      const n = params.length;
      const rows = await all<TaskRow>(
        db,
        `SELECT * FROM tasks ${clause} ORDER BY ${orderOf(filter, 'seq')} LIMIT $${n + 1} OFFSET $${n + 2}`,
        [...params, filter.limit ?? 50, filter.offset ?? 0],
      );
      return { tasks: rows.map(toTask), total };
    },
    nextTask: async (scope = {}) => {
      const { where, params } = filterTerms({ ...scope, statuses: scope.statuses ?? ['in_progress', 'todo'] });
      const rows = await all<TaskRow>(
        db,
        `SELECT * FROM tasks WHERE ${where.join(' AND ')} ORDER BY ${PRIORITY_ORDER_SQL} DESC, ${STARTED_FIRST_SQL}, created_at, seq`,
        params,
      );
      const done = await doneDependencies(db, rows);
      let waiting = 0;
      for (const row of rows) {
        if (row.dependencies.every((d) => done(row.project_id, d)))
          return { task: toTask(row), waitingOnDependencies: waiting };
        waiting++;
      }
      return { task: null, waitingOnDependencies: waiting };
    },
    countTasks: async () => Number((await one<{ n: string }>(db, 'SELECT COUNT(*) AS n FROM tasks'))?.n ?? 0),
  };
}
