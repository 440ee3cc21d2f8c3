// Reading tasks by filter: list with paging and sort, and the next actionable task. The SQL is built per call from
// the filter's parts (values always bound as parameters, never spliced into the text).
import { fieldSpec, TASK_FIELD_NAMES } from '../tasks/fields.js';
import { TASK_PRIORITIES, TASK_STATUSES } from '../tasks/task.js';
import { deltaOf, deltaRefusal, unnumbered, type SequenceState } from './changes.js';
import type { Connection } from './connection.js';
import { getBranch, getProject } from './projects.js';
import { toTask, type TaskRow } from './rows.js';
import { dependencyKey } from './dependency-ref.js';
import type { TaskDb, TaskFilter, TaskRecord } from './types.js';

export const PRIORITY_ORDER_SQL = `CASE priority ${TASK_PRIORITIES.map((p, i) => `WHEN '${p}' THEN ${i}`).join(' ')} END`;
export const STATUS_ORDER_SQL = `CASE status ${TASK_STATUSES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END`;
/**
 * The one rule of a branch's listing, on both engines: the branch's tasks, and its project's tasks on no branch
 * (`a` and `b` are the branch id's two placeholders).
 */
export const BRANCH_TASKS_SQL = (a: string, b: string): string =>
  `(git_branch_id = ${a} OR (git_branch_id IS NULL AND project_id = (SELECT project_id FROM git_branches WHERE id = ${b})))`;
/** Work already started comes before work not yet started. */
export const STARTED_FIRST_SQL = `CASE status WHEN 'in_progress' THEN 0 ELSE 1 END`;

/** The text columns a query searches on both engines: title, description and every declared text field. */
export const SEARCHED_COLUMNS = [
  'title',
  'description',
  ...TASK_FIELD_NAMES.flatMap((name) => (fieldSpec(name).kind === 'text' ? [fieldSpec(name).column] : [])),
];

interface Terms {
  where: string[];
  params: unknown[];
}

/**
 * WHERE terms and their parameters for a project / branch scope. A branch's tasks are its own and its project's tasks
 * on no branch (BRANCH_TASKS_SQL): a task added to the whole project is listed on each of its branches.
 */
function scopeTerms(scope: { projectId?: string; gitBranchId?: string }): Terms {
  const where: string[] = [];
  const params: unknown[] = [];
  if (scope.projectId) {
    where.push('project_id = ?');
    params.push(scope.projectId);
  }
  if (scope.gitBranchId) {
    where.push(BRANCH_TASKS_SQL('?', '?'));
    params.push(scope.gitBranchId, scope.gitBranchId);
  }
  return { where, params };
}

const placeholders = (values: readonly unknown[]): string => values.map(() => '?').join(', ');

export function filterTerms(filter: TaskFilter): Terms {
  const { where, params } = scopeTerms(filter);
  for (const [col, values] of [
    ['status', filter.statuses],
    ['priority', filter.priorities],
  ] as const) {
    if (values?.length) {
      where.push(`${col} IN (${placeholders(values)})`);
      params.push(...values);
    }
  }
  for (const [col, values] of [
    ['assignees', filter.assignees],
    ['labels', filter.labels],
  ] as const) {
    if (values?.length) {
      where.push(`EXISTS (SELECT 1 FROM json_each(tasks.${col}) WHERE value IN (${placeholders(values)}))`);
      params.push(...values);
    }
  }
  if (filter.query) {
    const like = `%${filter.query.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    const text = SEARCHED_COLUMNS.map((col) => `${col} LIKE ? ESCAPE '\\'`);
    where.push(`(${text.join(' OR ')} OR labels LIKE ? ESCAPE '\\' OR id = ?)`);
    params.push(...SEARCHED_COLUMNS.map(() => like), like, filter.query);
  }
  return { where, params };
}

/** The ORDER BY of a listing; `tiebreak` is the engine's insertion order (SQLite's rowid, PostgreSQL's seq). */
export function orderOf(filter: TaskFilter, tiebreak: string): string {
  const dir = filter.sortOrder === 'desc' ? 'DESC' : 'ASC';
  if (filter.sortBy === 'priority') return `${PRIORITY_ORDER_SQL} ${dir}, created_at, ${tiebreak}`;
  if (filter.sortBy === 'status') return `${STATUS_ORDER_SQL} ${dir}, created_at, ${tiebreak}`;
  if (filter.sortBy) return `${filter.sortBy} ${dir}, ${tiebreak} ${dir}`;
  return `${PRIORITY_ORDER_SQL} DESC, created_at, ${tiebreak}`;
}

function dependenciesDone(c: Connection, t: TaskRecord): boolean {
  // A bare id is a task of the same project (ids are counted per project); another project's is named with it.
  const done = c.statement("SELECT status = 'done' AS done FROM tasks WHERE project_id = ? AND id = ?");
  const project = c.statement('SELECT 1 FROM projects WHERE id = ?');
  const isProject = (id: string): boolean => project.get(id) !== undefined;
  return t.dependencies.every((dep) => {
    const key = dependencyKey(t.projectId, dep, isProject);
    return (done.get(key.projectId, key.id) as { done: number } | undefined)?.done === 1;
  });
}

export function taskQueries(c: Connection): Pick<TaskDb, 'listTasks' | 'nextTask'> {
  return {
    listTasks: (filter = {}) => {
      const { where, params } = filterTerms(filter);
      const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = (c.statement(`SELECT COUNT(*) AS n FROM tasks ${clause}`).get(...params) as { n: number }).n;
      const rows = c
        .statement(`SELECT * FROM tasks ${clause} ORDER BY ${orderOf(filter, 'rowid')} LIMIT ? OFFSET ?`)
        .all(...params, filter.limit ?? 50, filter.offset ?? 0) as TaskRow[];
      return { tasks: rows.map(toTask), total };
    },
    nextTask: (scope = {}) => {
      const statuses = scope.statuses ?? ['in_progress', 'todo'];
      const { where, params } = scopeTerms(scope);
      where.push(`status IN (${placeholders(statuses)})`);
      params.push(...statuses);
      const rows = c
        .statement(
          `SELECT * FROM tasks WHERE ${where.join(' AND ')} ORDER BY ${PRIORITY_ORDER_SQL} DESC, ${STARTED_FIRST_SQL}, created_at, rowid`,
        )
        .iterate(...params) as IterableIterator<TaskRow>;
      let waiting = 0;
      for (const row of rows) {
        const t = toTask(row);
        if (dependenciesDone(c, t)) return { task: t, waitingOnDependencies: waiting };
        waiting++;
      }
      return { task: null, waitingOnDependencies: waiting };
    },
  };
}

/** A project's sequence and horizon; a project never written is at 0. */
function sequenceState(c: Connection, projectId: string): SequenceState {
  const row = c.statement('SELECT seq, horizon FROM project_sequences WHERE project_id = ?').get(projectId) as
    | { seq: number; horizon: number }
    | undefined;
  return { sequence: row?.seq ?? 0, horizon: row?.horizon ?? 0 };
}

export function sequenceQueries(c: Connection): Pick<TaskDb, 'changeSequence' | 'listingScope' | 'changesSince'> {
  return {
    changeSequence: () =>
      (c.statement("SELECT value FROM store_meta WHERE key = 'change_seq'").get() as { value: number }).value,
    // One synchronous read: no write can come between the sequence and the names.
    listingScope: ({ gitBranchId, project }) => {
      const branch = gitBranchId === undefined ? undefined : getBranch(c, gitBranchId);
      const found = gitBranchId === undefined && project !== undefined ? getProject(c, project) : undefined;
      const projectId = branch?.projectId ?? found?.id;
      return {
        ...(projectId !== undefined && { sequence: sequenceState(c, projectId).sequence }),
        ...(branch && { branch }),
        ...(found && { project: found }),
      };
    },
    // One read transaction: the sequence and the rows are one moment of the store.
    changesSince: (filter, since) =>
      c.db.transaction(() => {
        const projectId = filter.gitBranchId
          ? (
              c.statement('SELECT project_id FROM git_branches WHERE id = ?').get(filter.gitBranchId) as
                | { project_id: string }
                | undefined
            )?.project_id
          : filter.projectId;
        if (projectId === undefined) return { full: true as const, why: unnumbered(filter) };
        const state = sequenceState(c, projectId);
        const why = deltaRefusal(state, since);
        if (why) return { full: true as const, why };
        const changed = (
          c.statement('SELECT id FROM tasks WHERE change_seq > ? AND project_id = ?').all(since, projectId) as {
            id: string;
          }[]
        ).map((r) => r.id);
        const { where, params } = filterTerms(filter);
        where.push('change_seq > ?');
        const matching = (
          c
            .statement(`SELECT * FROM tasks WHERE ${where.join(' AND ')} ORDER BY ${orderOf(filter, 'rowid')}`)
            .all(...params, since) as TaskRow[]
        ).map(toTask);
        const tombstones = (
          c.statement('SELECT task_id FROM task_tombstones WHERE seq > ? AND project_id = ?').all(since, projectId) as {
            task_id: string;
          }[]
        ).map((r) => r.task_id);
        return deltaOf(state, changed, matching, tombstones);
      })(),
  };
}
