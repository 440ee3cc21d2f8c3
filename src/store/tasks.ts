// Tasks and their dependencies: creation (generated or given ids), patches under the status rules, deletion.
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
} from './errors.js';
import type { Connection } from './connection.js';
import { advanceCounter, formatArtifactId, noteExplicitId } from './ids.js';
import { requireBranch, requireProject } from './projects.js';
import {
  NEW_TASK_COLUMNS,
  newTaskRow,
  now,
  patchColumns,
  toNote,
  toProject,
  toTask,
  type NoteRow,
  type ProjectRow,
  type TaskRow,
} from './rows.js';
import { otherProjectDependency } from './dependency-ref.js';
import { idOf, keyAmong } from './task-ref.js';
import type { NewTask, Project, TaskDb, TaskKey, TaskPatch, TaskRecord, TaskRef } from './types.js';
import { DEFAULT_PRIORITY } from '../tasks/new-task.js';

const INSERT_TASK = `INSERT INTO tasks (${NEW_TASK_COLUMNS.join(', ')})
  VALUES (${NEW_TASK_COLUMNS.map((col) => `@${col}`).join(', ')})`;

function getTask(c: Connection, key: TaskKey): TaskRecord | undefined {
  const row = c.statement('SELECT * FROM tasks WHERE project_id = ? AND id = ?').get(key.projectId, key.id) as
    | TaskRow
    | undefined;
  return row && toTask(row);
}

/** The projects holding a task with this id, by name. */
function holders(c: Connection, id: string): Project[] {
  return (
    c
      .statement('SELECT * FROM projects WHERE id IN (SELECT project_id FROM tasks WHERE id = ?) ORDER BY name')
      .all(id) as ProjectRow[]
  ).map(toProject);
}

/** The key `ref` names: undefined when no project holds its id, refused when several do. */
function findKey(c: Connection, ref: TaskRef): TaskKey | undefined {
  return typeof ref === 'string' ? keyAmong(ref, holders(c, ref)) : ref;
}

function findTask(c: Connection, ref: TaskRef): TaskRecord | undefined {
  const key = findKey(c, ref);
  return key && getTask(c, key);
}

export function requireTask(c: Connection, ref: TaskRef): TaskRecord {
  const task = findTask(c, ref);
  if (!task) throw noSuch('Task', idOf(ref));
  return task;
}

const keyOf = (t: TaskRecord): TaskKey => ({ projectId: t.projectId, id: t.id });

/** Call inside a write. */
function createOne(c: Connection, input: NewTask): TaskRecord {
  const project = requireProject(c, input.projectId);
  let branchId: string | null = null;
  if (input.gitBranchId) {
    const branch = requireBranch(c, input.gitBranchId);
    if (branch.projectId !== project.id)
      throw invalid(`Git branch ${branch.id} belongs to another project than ${project.name}`);
    branchId = branch.id;
  }
  const status = requireStatus(input.status ?? 'todo');
  const priority = requirePriority(input.priority ?? DEFAULT_PRIORITY);
  let id = input.id?.trim();
  if (id) {
    if (getTask(c, { projectId: project.id, id }))
      throw new TaskDbError('ALREADY_EXISTS', `Task already exists in ${project.name}: ${id}`);
    noteExplicitId(c, project.id, id);
  } else {
    do id = formatArtifactId('TASK', advanceCounter(c, project.id, 'TASK', 1));
    while (getTask(c, { projectId: project.id, id }));
  }
  const title = requireNonEmpty('title', input.title);
  const row = newTaskRow(input, { id, projectId: project.id, branchId, title, status, priority }, now());
  c.changed(project.id, [id]);
  c.statement(INSERT_TASK).run(row);
  return requireTask(c, { projectId: project.id, id });
}

/** Call inside a write: the read and the update below share its BEGIN IMMEDIATE, so the status checked is current. */
function applyPatch(c: Connection, ref: TaskRef, patch: TaskPatch, expectedVersion?: number): TaskRecord {
  const current = requireTask(c, ref);
  const { id } = current;
  if (expectedVersion !== undefined && current.version !== expectedVersion)
    throw staleVersion(id, expectedVersion, current.version);
  c.changed(current.projectId, [id]);
  if (patch.status !== undefined) checkTransition(current, requireStatus(patch.status));
  if (patch.priority !== undefined) requirePriority(patch.priority);
  if (patch.title !== undefined) patch = { ...patch, title: requireNonEmpty('title', patch.title) };
  const sets: string[] = [];
  const values: Record<string, unknown> = { id, project_id: current.projectId };
  for (const [col, value] of patchColumns(patch)) {
    sets.push(`${col} = @${col}`);
    values[col] = value;
  }
  const at = now();
  if (patch.status !== undefined && patch.status !== current.status) {
    sets.push('completed_at = @completed_at');
    values.completed_at = patch.status === 'done' ? at : null;
  }
  sets.push('updated_at = @updated_at', 'version = version + 1');
  values.updated_at = at;
  c.statement(`UPDATE tasks SET ${sets.join(', ')} WHERE project_id = @project_id AND id = @id`).run(values);
  return requireTask(c, keyOf(current));
}

type TaskMethods =
  | 'createTask'
  | 'createTasks'
  | 'getTask'
  | 'taskProjects'
  | 'updateTask'
  | 'setStatus'
  | 'deleteTask'
  | 'addDependency'
  | 'removeDependency'
  | 'countTasks'
  | 'claimTask'
  | 'releaseTask'
  | 'addNote'
  | 'listNotes';

// One conditional UPDATE inside BEGIN IMMEDIATE: the claim is taken only where no one else's lease is live (and the
// version matches, when one is named), so of many concurrent claimants exactly one finds its row updated.
const CLAIM = `UPDATE tasks SET claimed_by = @claimant, claim_expires_at = @expires, version = version + 1, updated_at = @now,
    assignees = CASE WHEN @assignee IS NOT NULL AND assignees = '[]' THEN json_array(@assignee) ELSE assignees END
  WHERE project_id = @project_id AND id = @id AND (claimed_by IS NULL OR claimed_by = @claimant OR claim_expires_at < @now) AND (@version IS NULL OR version = @version)
  RETURNING *`;

const RELEASE = `UPDATE tasks SET claimed_by = NULL, claim_expires_at = NULL, version = version + 1, updated_at = @now
  WHERE project_id = @project_id AND id = @id AND claimed_by = @claimant RETURNING *`;

/** Why a claim's UPDATE found no row: no such task, a stale version, or a live claim of another. */
function claimRefusal(task: TaskRecord | undefined, id: string, version: number | undefined): TaskDbError {
  if (!task) return noSuch('Task', id);
  if (version !== undefined && task.version !== version) return staleVersion(id, version, task.version);
  return claimedBy(id, task.claimedBy ?? 'another claimant', task.claimExpiresAt ?? 'its lease ends');
}

export const LEASE_BOUNDS = { min: 1, max: 24 * 60 * 60, fallback: 900 } as const;

function claims(c: Connection): Pick<TaskDb, 'claimTask' | 'releaseTask'> {
  return {
    claimTask: ({ taskId, claimant, leaseSeconds, version, assignee }) =>
      c.write(() => {
        const who = requireNonEmpty('claimant', claimant);
        const key = findKey(c, taskId);
        if (!key) throw noSuch('Task', idOf(taskId));
        const at = new Date();
        const row = c.statement(CLAIM).get({
          id: key.id,
          project_id: key.projectId,
          claimant: who,
          now: at.toISOString(),
          expires: new Date(at.getTime() + leaseSeconds * 1000).toISOString(),
          version: version ?? null,
          assignee: assignee ?? null,
        }) as TaskRow | undefined;
        if (!row) throw claimRefusal(getTask(c, key), key.id, version);
        c.changed(row.project_id, [key.id]);
        return toTask(row);
      }),
    releaseTask: (ref, claimant) =>
      c.write(() => {
        const who = requireNonEmpty('claimant', claimant);
        const task = requireTask(c, ref);
        const row = c.statement(RELEASE).get({ id: task.id, project_id: task.projectId, claimant: who, now: now() }) as
          | TaskRow
          | undefined;
        if (row) {
          c.changed(row.project_id, [task.id]);
          return toTask(row);
        }
        // Nothing to give up when no one holds it, or the holder's lease already ran out.
        if (task.claimedBy === null || (task.claimExpiresAt !== null && task.claimExpiresAt < now())) return task;
        throw claimedBy(task.id, task.claimedBy, task.claimExpiresAt ?? 'its lease ends');
      }),
  };
}

function notes(c: Connection): Pick<TaskDb, 'addNote' | 'listNotes'> {
  return {
    addNote: (taskId, text, author = '') =>
      c.write(() => {
        const task = requireTask(c, taskId);
        const body = requireNonEmpty('note', text);
        const row = c
          .statement(
            'INSERT INTO task_notes (project_id, task_id, author, text, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *',
          )
          .get(task.projectId, task.id, author.trim(), body, now()) as NoteRow;
        c.changed(task.projectId, [task.id]);
        return toNote(row);
      }),
    listNotes: (ref) => {
      const key = findKey(c, ref);
      if (!key) return [];
      return (
        c
          .statement('SELECT * FROM task_notes WHERE project_id = ? AND task_id = ? ORDER BY id')
          .all(key.projectId, key.id) as NoteRow[]
      ).map(toNote);
    },
  };
}

/**
 * Call inside a write. A deleted task cannot be finished, so nothing may keep waiting on it: its project's tasks that
 * name it by id, and other projects' that name it with its project, drop it from their dependencies.
 */
function deleteOne(c: Connection, ref: TaskRef): void {
  const { id, projectId } = requireTask(c, ref);
  c.changed(projectId, [id]);
  c.statement('DELETE FROM tasks WHERE project_id = ? AND id = ?').run(projectId, id);
  const named = otherProjectDependency({ projectId, id });
  const dependents = c
    .statement(
      `SELECT project_id, id, dependencies FROM tasks WHERE EXISTS (SELECT 1 FROM json_each(tasks.dependencies)
        WHERE (tasks.project_id = ? AND value = ?) OR (tasks.project_id <> ? AND value = ?))`,
    )
    .all(projectId, id, projectId, named) as { project_id: string; id: string; dependencies: string }[];
  for (const d of dependents) {
    c.changed(d.project_id, [d.id]);
    const gone = d.project_id === projectId ? id : named;
    const deps = (JSON.parse(d.dependencies) as string[]).filter((x) => x !== gone);
    c.statement(
      'UPDATE tasks SET dependencies = ?, updated_at = ?, version = version + 1 WHERE project_id = ? AND id = ?',
    ).run(JSON.stringify(deps), now(), d.project_id, d.id);
  }
}

function dependencies(c: Connection): Pick<TaskDb, 'addDependency' | 'removeDependency'> {
  return {
    addDependency: (ref, dependencyId) =>
      c.write(() => {
        const t = requireTask(c, ref);
        requireTask(c, { projectId: t.projectId, id: dependencyId });
        if (t.id === dependencyId) throw invalid(`Task ${t.id} cannot depend on itself`);
        if (t.dependencies.includes(dependencyId)) return t;
        return applyPatch(c, keyOf(t), { dependencies: [...t.dependencies, dependencyId] });
      }),
    removeDependency: (ref, dependencyId) =>
      c.write(() => {
        const t = requireTask(c, ref);
        return applyPatch(c, keyOf(t), { dependencies: t.dependencies.filter((d) => d !== dependencyId) });
      }),
  };
}

export function tasksAndDependencies(c: Connection): Pick<TaskDb, TaskMethods> {
  return {
    ...claims(c),
    ...notes(c),
    ...dependencies(c),
    createTask: (input) => c.write(() => createOne(c, input)),
    createTasks: (inputs) => c.write(() => inputs.map((input) => createOne(c, input))),
    getTask: (ref) => findTask(c, ref),
    taskProjects: (id) => holders(c, id),
    updateTask: (id, patch, expectedVersion) => c.write(() => applyPatch(c, id, patch, expectedVersion)),
    setStatus: (id, status, completionSummary) =>
      c.write(() => applyPatch(c, id, completionSummary === undefined ? { status } : { status, completionSummary })),
    deleteTask: (id) => c.write(() => deleteOne(c, id)),
    countTasks: () => (c.statement('SELECT COUNT(*) AS n FROM tasks').get() as { n: number }).n,
  };
}
