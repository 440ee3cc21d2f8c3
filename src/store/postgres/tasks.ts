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
} from '../errors.js';
import { formatArtifactId } from '../ids.js';
import {
  NEW_TASK_COLUMNS,
  newTaskRow,
  now,
  patchColumns,
  taskOfRow,
  toNote,
  toProject,
  type NoteRow,
  type ProjectRow,
  type TaskRowOf,
} from '../rows.js';
import type { TaskStore } from '../store.js';
import { otherProjectDependency } from '../dependency-ref.js';
import { idOf, keyAmong } from '../task-ref.js';
import type { NewTask, Project, TaskKey, TaskPatch, TaskRecord, TaskRef } from '../types.js';
import { DEFAULT_PRIORITY } from '../../tasks/new-task.js';
import type { Changes, PgConnection } from './connection.js';
import { all, one, type Q } from './query.js';
import { advanceCounter, noteExplicitId } from './ids.js';
import { requireBranch, requireProject } from './projects.js';

export type TaskRow = TaskRowOf<string[], Date>;
const same = (list: string[]): string[] => list;
const iso = (at: Date): string => at.toISOString();
export const toTask = (r: TaskRow): TaskRecord => taskOfRow(r, same, iso);

async function getTask(q: Q, key: TaskKey, lock = false): Promise<TaskRecord | undefined> {
  const row = await one<TaskRow>(
    q,
    `SELECT * FROM tasks WHERE project_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    [key.projectId, key.id],
  );
  return row && toTask(row);
}

/** The projects holding a task with this id, by name. */
async function holders(q: Q, id: string): Promise<Project[]> {
  return (
    await all<ProjectRow>(
      q,
      'SELECT * FROM projects WHERE id IN (SELECT project_id FROM tasks WHERE id = $1) ORDER BY name',
      [id],
    )
  ).map(toProject);
}

/** The key `ref` names: undefined when no project holds its id, refused when several do. */
async function findKey(q: Q, ref: TaskRef): Promise<TaskKey | undefined> {
  return typeof ref === 'string' ? keyAmong(ref, await holders(q, ref)) : ref;
}

async function findTask(q: Q, ref: TaskRef, lock = false): Promise<TaskRecord | undefined> {
  const key = await findKey(q, ref);
  return key && getTask(q, key, lock);
}

async function requireTask(q: Q, ref: TaskRef, lock = false): Promise<TaskRecord> {
  const t = await findTask(q, ref, lock);
  if (!t) throw noSuch('Task', idOf(ref));
  return t;
}

const keyOf = (t: TaskRecord): TaskKey => ({ projectId: t.projectId, id: t.id });

const INSERT_TASK = `INSERT INTO tasks (${NEW_TASK_COLUMNS.join(', ')})
  VALUES (${NEW_TASK_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT (project_id, id) DO NOTHING RETURNING *`;

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
  const priority = requirePriority(input.priority ?? DEFAULT_PRIORITY);
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
    if (!row) throw new TaskDbError('ALREADY_EXISTS', `Task already exists in ${project.name}: ${given}`);
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
  ref: TaskRef,
  patch: TaskPatch,
  expectedVersion?: number,
): Promise<TaskRecord> {
  const current = await requireTask(q, ref, true);
  const { id } = current;
  if (expectedVersion !== undefined && current.version !== expectedVersion)
    throw staleVersion(id, expectedVersion, current.version);
  if (patch.status !== undefined) checkTransition(current, requireStatus(patch.status));
  if (patch.priority !== undefined) requirePriority(patch.priority);
  if (patch.title !== undefined) patch = { ...patch, title: requireNonEmpty('title', patch.title) };
  const sets: string[] = [];
  const values: unknown[] = [id, current.projectId];
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
    `UPDATE tasks SET ${sets.join(', ')}, version = version + 1 WHERE id = $1 AND project_id = $2 RETURNING *`,
    values,
  );
  changes.add(current.projectId, [id]);
  return toTask(row as TaskRow);
}

// A claim is one conditional UPDATE: PostgreSQL re-checks the WHERE on the row's newest version after waiting for a
// concurrent writer's lock, so of many claimants exactly one matches while the lease is live.
const CLAIM = `UPDATE tasks SET claimed_by = $2, claim_expires_at = now() + make_interval(secs => $3), version = version + 1, updated_at = $5,
    assignees = CASE WHEN $6::text IS NOT NULL AND assignees = '[]'::jsonb THEN jsonb_build_array($6::text) ELSE assignees END
  WHERE project_id = $7 AND id = $1 AND (claimed_by IS NULL OR claimed_by = $2 OR claim_expires_at < now()) AND ($4::integer IS NULL OR version = $4)
  RETURNING *`;

const RELEASE = `UPDATE tasks SET claimed_by = NULL, claim_expires_at = NULL, version = version + 1, updated_at = $3
  WHERE project_id = $4 AND id = $1 AND claimed_by = $2 RETURNING *`;

function claims(c: PgConnection): Pick<TaskStore, 'claimTask' | 'releaseTask'> {
  return {
    claimTask: ({ taskId, claimant, leaseSeconds, version, assignee }) =>
      c.tx(async (q, changes) => {
        const who = requireNonEmpty('claimant', claimant);
        const key = await findKey(q, taskId);
        if (!key) throw noSuch('Task', idOf(taskId));
        const row = await one<TaskRow>(q, CLAIM, [
          key.id,
          who,
          leaseSeconds,
          version ?? null,
          now(),
          assignee ?? null,
          key.projectId,
        ]);
        if (!row) {
          const task = await getTask(q, key);
          if (!task) throw noSuch('Task', key.id);
          if (version !== undefined && task.version !== version) throw staleVersion(key.id, version, task.version);
          throw claimedBy(key.id, task.claimedBy ?? 'another claimant', task.claimExpiresAt ?? 'its lease ends');
        }
        changes.add(row.project_id, [key.id]);
        return toTask(row);
      }),
    releaseTask: (ref, claimant) =>
      c.tx(async (q, changes) => {
        const who = requireNonEmpty('claimant', claimant);
        const task = await requireTask(q, ref);
        const row = await one<TaskRow>(q, RELEASE, [task.id, who, now(), task.projectId]);
        if (row) {
          changes.add(row.project_id, [task.id]);
          return toTask(row);
        }
        if (task.claimedBy === null || (task.claimExpiresAt !== null && Date.parse(task.claimExpiresAt) < Date.now()))
          return task;
        throw claimedBy(task.id, task.claimedBy, task.claimExpiresAt ?? 'its lease ends');
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
          'INSERT INTO task_notes (project_id, task_id, author, text, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *',
          [task.projectId, task.id, author.trim(), body, now()],
        );
        changes.add(task.projectId, [task.id]);
        return toNote(row as NoteRow);
      }),
    listNotes: async (ref) => {
      const key = await findKey(c.db, ref);
      if (!key) return [];
      return (
        await all<NoteRow>(c.db, 'SELECT * FROM task_notes WHERE project_id = $1 AND task_id = $2 ORDER BY id', [
          key.projectId,
          key.id,
        ])
      ).map(toNote);
    },
  };
}

type Methods =
  | 'createTask'
  | 'createTasks'
  | 'getTask'
  | 'taskProjects'
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
    getTask: (ref) => findTask(c.db, ref),
    taskProjects: (id) => holders(c.db, id),
    updateTask: (ref, patch, expectedVersion) =>
      tx((q, changes) => applyPatch(q, changes, ref, patch, expectedVersion)),
    setStatus: (ref, status, completionSummary) =>
      tx((q, changes) =>
        applyPatch(q, changes, ref, completionSummary === undefined ? { status } : { status, completionSummary }),
      ),
    deleteTask: (ref) =>
      tx(async (q, changes) => {
        const t = await requireTask(q, ref, true);
        await q.query('DELETE FROM tasks WHERE project_id = $1 AND id = $2', [t.projectId, t.id]);
        changes.add(t.projectId, [t.id]);
        // One UPDATE removes it from every dependent's list (tasks of its own project name it by id, tasks of other
        // projects by project and id), since a deleted task can never be finished.
        const dependents = await all<{ project_id: string; id: string }>(
          q,
          `UPDATE tasks SET dependencies = dependencies - (CASE WHEN project_id = $3 THEN $1::text ELSE $4::text END),
             updated_at = $2, version = version + 1
           WHERE (project_id = $3 AND dependencies ? $1) OR (project_id <> $3 AND dependencies ? $4)
           RETURNING project_id, id`,
          [t.id, now(), t.projectId, otherProjectDependency(keyOf(t))],
        );
        for (const d of dependents) changes.add(d.project_id, [d.id]);
      }),
    addDependency: (ref, dependencyId) =>
      tx(async (q, changes) => {
        const t = await requireTask(q, ref, true);
        await requireTask(q, { projectId: t.projectId, id: dependencyId });
        if (t.id === dependencyId) throw invalid(`Task ${t.id} cannot depend on itself`);
        if (t.dependencies.includes(dependencyId)) return t;
        return applyPatch(q, changes, keyOf(t), { dependencies: [...t.dependencies, dependencyId] });
      }),
    removeDependency: (ref, dependencyId) =>
      tx(async (q, changes) => {
        const t = await requireTask(q, ref, true);
        return applyPatch(q, changes, keyOf(t), { dependencies: t.dependencies.filter((d) => d !== dependencyId) });
      }),
  };
}
