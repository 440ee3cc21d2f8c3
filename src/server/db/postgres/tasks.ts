// Tasks on PostgreSQL: creation, patches, deletion, dependencies, claims and notes. Under READ COMMITTED nothing is
// atomic by itself, so each read-modify-write says which mechanism holds it: a single statement (INSERT … ON
// CONFLICT, a conditional UPDATE … RETURNING) or a row lock (SELECT … FOR UPDATE) inside the transaction.
import {
  TaskDbError,
  checkTransition,
  claimedBy,
  invalid,
  noSuch,
  requireNonEmpty,
  requirePriority,
  requireStatus,
  staleVersion,
} from '../../errors.js';
import { formatArtifactId } from '../ids.js';
import {
  NEW_TASK_COLUMNS,
  newTaskRow,
  now,
  patchColumns,
  taskOfRow,
  toNote,
  type NoteRow,
  type TaskRowOf,
} from '../rows.js';
import type { TaskStore } from '../store.js';
import type { NewTask, TaskPatch, TaskRecord } from '../types.js';
import type { Changes, PgConnection } from './connection.js';
import { all, one, type Q } from './query.js';
import { advanceCounter, noteExplicitId } from './ids.js';
import { requireBranch, requireProject } from './projects.js';

export type TaskRow = TaskRowOf<string[], Date>;
const same = (list: string[]): string[] => list;
const iso = (at: Date): string => at.toISOString();
export const toTask = (r: TaskRow): TaskRecord => taskOfRow(r, same, iso);

export async function getTask(q: Q, id: string, lock = false): Promise<TaskRecord | undefined> {
  const row = await one<TaskRow>(q, `SELECT * FROM tasks WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return row && toTask(row);
}

async function requireTask(q: Q, id: string, lock = false): Promise<TaskRecord> {
  const t = await getTask(q, id, lock);
  if (!t) throw noSuch('Task', id);
  return t;
}

const INSERT_TASK = `INSERT INTO tasks (${NEW_TASK_COLUMNS.join(', ')})
  VALUES (${NEW_TASK_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT (id) DO NOTHING RETURNING *`;

async function createOne(q: Q, changes: Changes, input: NewTask): Promise<TaskRecord> {
  const project = await requireProject(q, input.projectId);
  let branchId: string | null = null;
  if (input.gitBranchId) {
    const branch = await requireBranch(q, input.gitBranchId);
    if (branch.projectId !== project.id)
      throw invalid(`Git branch ${branch.id} belongs to another project than ${project.name}`);
    branchId = branch.id;
  }
  const status = requireStatus(input.status ?? 'todo');
  const priority = requirePriority(input.priority ?? 'medium');
  const title = requireNonEmpty('title', input.title);
  const at = now();
  const insert = (id: string): Promise<TaskRow | undefined> => {
    const values = newTaskRow(input, { id, projectId: project.id, branchId, title, status, priority }, at);
    return one<TaskRow>(
      q,
      INSERT_TASK,
      NEW_TASK_COLUMNS.map((col) => values[col]),
    );
  };
  let row: TaskRow | undefined;
  const given = input.id?.trim();
  if (given) {
    // ON CONFLICT DO NOTHING: of two creates of one id, the second finds no row inserted and is told so.
    row = await insert(given);
    if (!row) throw new TaskDbError('ALREADY_EXISTS', `Task already exists: ${given}`);
    await noteExplicitId(q, project.id, given);
  } else {
    // A number taken by an explicit id of another type's scheme is skipped: the counter only moves forward.
    while (!row) row = await insert(formatArtifactId('TASK', await advanceCounter(q, project.id, 'TASK', 1)));
  }
  changes.add(project.id, [row.id]);
  return toTask(row);
}

// A patch reads the task FOR UPDATE: the status it checks and the version it compares are the ones it writes over.
async function applyPatch(
  q: Q,
  changes: Changes,
  id: string,
  patch: TaskPatch,
  expectedVersion?: number,
): Promise<TaskRecord> {
  const current = await requireTask(q, id, true);
  if (expectedVersion !== undefined && current.version !== expectedVersion)
    throw staleVersion(id, expectedVersion, current.version);
  if (patch.status !== undefined) checkTransition(current, requireStatus(patch.status));
  if (patch.priority !== undefined) requirePriority(patch.priority);
  if (patch.title !== undefined) patch = { ...patch, title: requireNonEmpty('title', patch.title) };
  const sets: string[] = [];
  const values: unknown[] = [id];
  const set = (col: string, value: unknown): void => {
    values.push(value);
    sets.push(`${col} = $${values.length}`);
  };
  for (const [col, value] of patchColumns(patch)) set(col, value);
  const at = now();
  if (patch.status !== undefined && patch.status !== current.status)
    set('completed_at', patch.status === 'done' ? at : null);
  set('updated_at', at);
  const row = await one<TaskRow>(
    q,
    `UPDATE tasks SET ${sets.join(', ')}, version = version + 1 WHERE id = $1 RETURNING *`,
    values,
  );
  changes.add(current.projectId, [id]);
  return toTask(row as TaskRow);
}

// A claim is one conditional UPDATE: PostgreSQL re-checks the WHERE on the row's newest version after waiting for a
// concurrent writer's lock, so of many claimants exactly one matches while the lease is live.
const CLAIM = `UPDATE tasks SET claimed_by = $2, claim_expires_at = now() + make_interval(secs => $3), version = version + 1, updated_at = $5,
    assignees = CASE WHEN $6::text IS NOT NULL AND assignees = '[]'::jsonb THEN jsonb_build_array($6::text) ELSE assignees END
  WHERE id = $1 AND (claimed_by IS NULL OR claimed_by = $2 OR claim_expires_at < now()) AND ($4::integer IS NULL OR version = $4)
  RETURNING *`;

const RELEASE = `UPDATE tasks SET claimed_by = NULL, claim_expires_at = NULL, version = version + 1, updated_at = $3
  WHERE id = $1 AND claimed_by = $2 RETURNING *`;

function claims(c: PgConnection): Pick<TaskStore, 'claimTask' | 'releaseTask'> {
  return {
    claimTask: ({ taskId, claimant, leaseSeconds, version, assignee }) =>
      c.tx(async (q, changes) => {
        const who = requireNonEmpty('claimant', claimant);
        const row = await one<TaskRow>(q, CLAIM, [taskId, who, leaseSeconds, version ?? null, now(), assignee ?? null]);
        if (!row) {
          const task = await getTask(q, taskId);
          if (!task) throw noSuch('Task', taskId);
          if (version !== undefined && task.version !== version) throw staleVersion(taskId, version, task.version);
          throw claimedBy(taskId, task.claimedBy ?? 'another claimant', task.claimExpiresAt ?? 'its lease ends');
        }
        changes.add(row.project_id, [taskId]);
        return toTask(row);
      }),
    releaseTask: (taskId, claimant) =>
      c.tx(async (q, changes) => {
        const who = requireNonEmpty('claimant', claimant);
        const row = await one<TaskRow>(q, RELEASE, [taskId, who, now()]);
        if (row) {
          changes.add(row.project_id, [taskId]);
          return toTask(row);
        }
        const task = await requireTask(q, taskId);
        if (task.claimedBy === null || (task.claimExpiresAt !== null && Date.parse(task.claimExpiresAt) < Date.now()))
          return task;
        throw claimedBy(taskId, task.claimedBy, task.claimExpiresAt ?? 'its lease ends');
      }),
  };
}

function notes(c: PgConnection): Pick<TaskStore, 'addNote' | 'listNotes'> {
  return {
    addNote: (taskId, text, author = '') =>
      c.tx(async (q, changes) => {
        const task = await requireTask(q, taskId);
        const body = requireNonEmpty('note', text);
        const row = await one<NoteRow>(
          q,
          'INSERT INTO task_notes (task_id, author, text, created_at) VALUES ($1, $2, $3, $4) RETURNING *',
          [task.id, author.trim(), body, now()],
        );
        changes.add(task.projectId, [task.id]);
        return toNote(row as NoteRow);
      }),
    listNotes: async (taskId) =>
      (await all<NoteRow>(c.db, 'SELECT * FROM task_notes WHERE task_id = $1 ORDER BY id', [taskId])).map(toNote),
  };
}

type Methods =
  | 'createTask'
  | 'createTasks'
  | 'getTask'
  | 'updateTask'
  | 'setStatus'
  | 'deleteTask'
  | 'addDependency'
  | 'removeDependency'
  | 'claimTask'
  | 'releaseTask'
  | 'addNote'
  | 'listNotes';

export function tasksAndDependencies(c: PgConnection): Pick<TaskStore, Methods> {
  const { tx } = c;
  return {
    ...claims(c),
    ...notes(c),
    createTask: (input) => tx((q, changes) => createOne(q, changes, input)),
    createTasks: (inputs) =>
      tx(async (q, changes) => {
        const created: TaskRecord[] = [];
        for (const input of inputs) created.push(await createOne(q, changes, input));
        return created;
      }),
    getTask: (id) => getTask(c.db, id),
    updateTask: (id, patch, expectedVersion) => tx((q, changes) => applyPatch(q, changes, id, patch, expectedVersion)),
    setStatus: (id, status, completionSummary) =>
      tx((q, changes) =>
        applyPatch(q, changes, id, completionSummary === undefined ? { status } : { status, completionSummary }),
      ),
    deleteTask: (id) =>
      tx(async (q, changes) => {
        const t = await requireTask(q, id, true);
        await q.query('DELETE FROM tasks WHERE id = $1', [id]);
        changes.add(t.projectId, [id]);
        // One UPDATE takes the id out of every dependent's list: a deleted task cannot be finished.
        const dependents = await all<{ id: string; project_id: string }>(
          q,
          `UPDATE tasks SET dependencies = dependencies - $1, updated_at = $2, version = version + 1 WHERE dependencies ? $1 RETURNING id, project_id`,
          [id, now()],
        );
        for (const d of dependents) changes.add(d.project_id, [d.id]);
      }),
    addDependency: (id, dependencyId) =>
      tx(async (q, changes) => {
        const t = await requireTask(q, id, true);
        await requireTask(q, dependencyId);
        if (id === dependencyId) throw invalid(`Task ${id} cannot depend on itself`);
        if (t.dependencies.includes(dependencyId)) return t;
        return applyPatch(q, changes, id, { dependencies: [...t.dependencies, dependencyId] });
      }),
    removeDependency: (id, dependencyId) =>
      tx(async (q, changes) => {
        const t = await requireTask(q, id, true);
        return applyPatch(q, changes, id, { dependencies: t.dependencies.filter((d) => d !== dependencyId) });
      }),
  };
}
