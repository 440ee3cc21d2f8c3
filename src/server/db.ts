// The reference server's store: its own SQLite file, WAL, every write in BEGIN IMMEDIATE so ID counters and
// reservations stay race-free across connections and processes.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { DamagedDatabaseError, openSqlite, type Db } from '../sqlite/index.js';
import { TASK_PRIORITIES, TASK_STATUSES, type TaskPriority, type TaskStatus } from '../tasks/task.js';
import { TaskDbError, checkTransition, invalid, noSuch, requirePriority, requireStatus } from './errors.js';
import { TASK_DB_MIGRATIONS } from './schema.js';

export interface Project {
  id: string;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
}

export interface GitBranch {
  id: string;
  projectId: string;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
}

export interface TaskRecord {
  id: string;
  projectId: string;
  gitBranchId: string | null;
  title: string;
  description: string;
  details: string;
  status: TaskStatus;
  priority: TaskPriority;
  assignees: string[];
  labels: string[];
  dependencies: string[];
  estimatedEffort: string | null;
  dueDate: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  completionSummary: string | null;
}

export interface NewTask {
  /** Given by batch imports (add_task); otherwise the next `TASK-NNN` of the project. */
  id?: string;
  projectId: string;
  gitBranchId?: string | null;
  title: string;
  description?: string;
  details?: string;
  status?: TaskStatus;
  priority?: TaskPriority;
  assignees?: string[];
  labels?: string[];
  dependencies?: string[];
  estimatedEffort?: string | null;
  dueDate?: string | null;
}

export type TaskPatch = Partial<
  Pick<TaskRecord, 'title' | 'description' | 'details' | 'status' | 'priority' | 'assignees' | 'labels' | 'dependencies' | 'estimatedEffort' | 'dueDate' | 'completionSummary'>
>;

export type SortKey = 'created_at' | 'updated_at' | 'priority' | 'status' | 'title';
export const SORT_KEYS: readonly SortKey[] = ['created_at', 'updated_at', 'priority', 'status', 'title'];

export interface TaskFilter {
  projectId?: string;
  gitBranchId?: string;
  statuses?: TaskStatus[];
  priorities?: TaskPriority[];
  assignees?: string[];
  labels?: string[];
  query?: string;
  limit?: number;
  offset?: number;
  sortBy?: SortKey;
  sortOrder?: 'asc' | 'desc';
}

export interface NextResult {
  task: TaskRecord | null;
  /** Open tasks passed over because a dependency is not done yet. */
  waitingOnDependencies: number;
}

export interface Reservation {
  reservationId: string;
  reservedIds: string[];
  expiresAt: string;
}

export interface TaskDb {
  readonly file: string;
  readonly db: Db;
  createProject(input: { name: string; description?: string }): Project;
  getProject(idOrName: string): Project | undefined;
  /** The project with this name, created when missing: how a scope's folder name becomes a project. */
  ensureProject(name: string): Project;
  listProjects(): Project[];
  updateProject(id: string, patch: { name?: string; description?: string }): Project;
  createBranch(input: { projectId: string; name: string; description?: string }): GitBranch;
  getBranch(id: string): GitBranch | undefined;
  findBranch(projectId: string, name: string): GitBranch | undefined;
  ensureBranch(projectId: string, name: string): GitBranch;
  listBranches(projectId: string): GitBranch[];
  updateBranch(id: string, patch: { name?: string; description?: string }): GitBranch;
  deleteBranch(id: string): void;
  createTask(input: NewTask): TaskRecord;
  /** Creates every task or none. */
  createTasks(inputs: NewTask[]): TaskRecord[];
  getTask(id: string): TaskRecord | undefined;
  updateTask(id: string, patch: TaskPatch): TaskRecord;
  /** Changes the status, refusing transitions out of a closed status other than reopening. */
  setStatus(id: string, status: TaskStatus, completionSummary?: string): TaskRecord;
  deleteTask(id: string): void;
  addDependency(id: string, dependencyId: string): TaskRecord;
  removeDependency(id: string, dependencyId: string): TaskRecord;
  listTasks(filter?: TaskFilter): { tasks: TaskRecord[]; total: number };
  /** The most urgent actionable task: priority, then in progress before todo, then oldest; every dependency done. */
  nextTask(scope?: { projectId?: string; gitBranchId?: string; statuses?: TaskStatus[] }): NextResult;
  countTasks(): number;
  /** Hands out the next id of `type` in the project (`US-028` after 27); never the same one twice. */
  nextId(projectId: string, type: string): string;
  reserveIds(projectId: string, type: string, count: number, ttlMs?: number): Reservation;
  close(): void;
}

const PRIORITY_ORDER_SQL = `CASE priority ${TASK_PRIORITIES.map((p, i) => `WHEN '${p}' THEN ${i}`).join(' ')} END`;
const STATUS_ORDER_SQL = `CASE status ${TASK_STATUSES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END`;
/** Work already started comes before work not yet started. */
const STARTED_FIRST_SQL = `CASE status WHEN 'in_progress' THEN 0 ELSE 1 END`;
const ARTIFACT_TYPE = /^[A-Z][A-Z0-9_]{0,15}$/;
const DEFAULT_RESERVATION_TTL_MS = 60 * 60 * 1000;

interface TaskRow {
  id: string;
  project_id: string;
  git_branch_id: string | null;
  title: string;
  description: string;
  details: string;
  status: string;
  priority: string;
  assignees: string;
  labels: string;
  dependencies: string;
  estimated_effort: string | null;
  due_date: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  completion_summary: string | null;
}

interface NamedRow {
  id: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}

const toProject = (r: NamedRow): Project => ({ id: r.id, name: r.name, description: r.description, createdAt: r.created_at, updatedAt: r.updated_at });
const toBranch = (r: NamedRow & { project_id: string }): GitBranch => ({ ...toProject(r), projectId: r.project_id });

function toTask(r: TaskRow): TaskRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    gitBranchId: r.git_branch_id,
    title: r.title,
    description: r.description,
    details: r.details,
    status: r.status as TaskStatus,
    priority: r.priority as TaskPriority,
    assignees: JSON.parse(r.assignees) as string[],
    labels: JSON.parse(r.labels) as string[],
    dependencies: JSON.parse(r.dependencies) as string[],
    estimatedEffort: r.estimated_effort,
    dueDate: r.due_date,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    completedAt: r.completed_at,
    completionSummary: r.completion_summary,
  };
}

function formatArtifactId(type: string, n: number): string {
  return `${type}-${String(n).padStart(3, '0')}`;
}

function checkArtifactType(type: string): void {
  if (!ARTIFACT_TYPE.test(type)) throw invalid(`Invalid artifact_type: '${type}'. Use upper-case letters and digits, e.g. US, SPEC, TASK`);
}

function checkName(what: string, name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw invalid(`${what} must not be empty`);
  return trimmed;
}

/** The task file holds people's work: private, and never recreated when damaged (the caller decides what to do). */
function openTaskFile(file: string, busyTimeoutMs: number | undefined): Db {
  try {
    return openSqlite(file, { migrations: TASK_DB_MIGRATIONS, privateFile: true, ...(busyTimeoutMs === undefined ? {} : { busyTimeoutMs }) });
  } catch (err) {
    const reason = err instanceof DamagedDatabaseError ? err.cause.message : err instanceof Error ? err.message : String(err);
    throw new Error(`Cannot open task database ${file}: ${reason}`, { cause: err });
  }
}

export function openTaskDb(file: string, options: { busyTimeoutMs?: number } = {}): TaskDb {
  const db = openTaskFile(file, options.busyTimeoutMs);
  const write = <T>(fn: () => T): T => db.transaction(fn).immediate();
  // Queries built from filters repeat; preparing each shape once keeps a list call cheap under load.
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string): Database.Statement => {
    let st = statements.get(sql);
    if (!st) statements.set(sql, (st = db.prepare(sql)));
    return st;
  };
  const now = (): string => new Date().toISOString();

  const stmt = {
    projectById: db.prepare('SELECT * FROM projects WHERE id = ?'),
    projectByName: db.prepare('SELECT * FROM projects WHERE name = ?'),
    branchById: db.prepare('SELECT * FROM git_branches WHERE id = ?'),
    branchByName: db.prepare('SELECT * FROM git_branches WHERE project_id = ? AND name = ?'),
    taskById: db.prepare('SELECT * FROM tasks WHERE id = ?'),
    counter: db.prepare('SELECT last_assigned FROM id_counters WHERE project_id = ? AND artifact_type = ?'),
    setCounter: db.prepare(
      'INSERT INTO id_counters (project_id, artifact_type, last_assigned) VALUES (?, ?, ?) ON CONFLICT (project_id, artifact_type) DO UPDATE SET last_assigned = excluded.last_assigned',
    ),
  };

  const getProject = (idOrName: string): Project | undefined => {
    const row = (stmt.projectById.get(idOrName) ?? stmt.projectByName.get(idOrName)) as NamedRow | undefined;
    return row && toProject(row);
  };
  const getBranch = (id: string): GitBranch | undefined => {
    const row = stmt.branchById.get(id) as (NamedRow & { project_id: string }) | undefined;
    return row && toBranch(row);
  };
  const getTask = (id: string): TaskRecord | undefined => {
    const row = stmt.taskById.get(id) as TaskRow | undefined;
    return row && toTask(row);
  };
  const required =
    <T>(kind: Parameters<typeof noSuch>[0], get: (id: string) => T | undefined) =>
    (id: string): T => {
      const found = get(id);
      if (found === undefined) throw noSuch(kind, id);
      return found;
    };
  const requireProject = required('Project', getProject);
  const requireBranch = required('Git branch', getBranch);
  const requireTask = required('Task', getTask);

  const insertProject = (name: string, description: string): Project => {
    const at = now();
    const id = randomUUID();
    db.prepare('INSERT INTO projects (id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(id, checkName('Project name', name), description, at, at);
    return requireProject(id);
  };
  const insertBranch = (projectId: string, name: string, description: string): GitBranch => {
    const at = now();
    const id = randomUUID();
    db.prepare('INSERT INTO git_branches (id, project_id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      id,
      projectId,
      checkName('Git branch name', name),
      description,
      at,
      at,
    );
    return requireBranch(id);
  };

  /** Advances the counter by `count` and returns the first number handed out; call inside a write. */
  const advanceCounter = (projectId: string, type: string, count: number): number => {
    const row = stmt.counter.get(projectId, type) as { last_assigned: number } | undefined;
    const first = (row?.last_assigned ?? 0) + 1;
    stmt.setCounter.run(projectId, type, first + count - 1);
    return first;
  };

  /** An explicit `TASK-046` moves the TASK counter past 46, so a later generated id cannot collide. */
  const noteExplicitId = (projectId: string, id: string): void => {
    const m = /^([A-Z][A-Z0-9_]{0,15})-(\d+)$/.exec(id);
    if (!m?.[1] || !m[2]) return;
    const row = stmt.counter.get(projectId, m[1]) as { last_assigned: number } | undefined;
    const n = Number(m[2]);
    if ((row?.last_assigned ?? 0) < n) stmt.setCounter.run(projectId, m[1], n);
  };

  const insertTask = db.prepare(`
    INSERT INTO tasks (id, project_id, git_branch_id, title, description, details, status, priority, assignees, labels,
      dependencies, estimated_effort, due_date, created_at, updated_at, completed_at, completion_summary)
    VALUES (@id, @project_id, @git_branch_id, @title, @description, @details, @status, @priority, @assignees, @labels,
      @dependencies, @estimated_effort, @due_date, @created_at, @updated_at, @completed_at, NULL)`);

  const createOne = (input: NewTask): TaskRecord => {
    const project = requireProject(input.projectId);
    let branchId: string | null = null;
    if (input.gitBranchId) {
      const branch = requireBranch(input.gitBranchId);
      if (branch.projectId !== project.id) throw invalid(`Git branch ${branch.id} belongs to another project than ${project.name}`);
      branchId = branch.id;
    }
    const status = requireStatus(input.status ?? 'todo');
    const priority = requirePriority(input.priority ?? 'medium');
    let id = input.id?.trim();
    if (id) {
      if (getTask(id)) throw new TaskDbError('ALREADY_EXISTS', `Task already exists: ${id}`);
      noteExplicitId(project.id, id);
    } else {
      do id = formatArtifactId('TASK', advanceCounter(project.id, 'TASK', 1));
      while (getTask(id));
    }
    const at = now();
    insertTask.run({
      id,
      project_id: project.id,
      git_branch_id: branchId,
      title: checkName('title', input.title),
      description: input.description ?? '',
      details: input.details ?? '',
      status,
      priority,
      assignees: JSON.stringify(input.assignees ?? []),
      labels: JSON.stringify(input.labels ?? []),
      dependencies: JSON.stringify(input.dependencies ?? []),
      estimated_effort: input.estimatedEffort ?? null,
      due_date: input.dueDate ?? null,
      created_at: at,
      updated_at: at,
      completed_at: status === 'done' ? at : null,
    });
    return requireTask(id);
  };

  const COLUMN: Record<keyof TaskPatch, string> = {
    title: 'title',
    description: 'description',
    details: 'details',
    status: 'status',
    priority: 'priority',
    assignees: 'assignees',
    labels: 'labels',
    dependencies: 'dependencies',
    estimatedEffort: 'estimated_effort',
    dueDate: 'due_date',
    completionSummary: 'completion_summary',
  };

  const applyPatch = (id: string, patch: TaskPatch): TaskRecord => {
    const current = requireTask(id);
    if (patch.status !== undefined) checkTransition(current, requireStatus(patch.status));
    if (patch.priority !== undefined) requirePriority(patch.priority);
    if (patch.title !== undefined) patch = { ...patch, title: checkName('title', patch.title) };
    const sets: string[] = [];
    const values: Record<string, unknown> = { id };
    for (const [key, value] of Object.entries(patch) as [keyof TaskPatch, unknown][]) {
      if (value === undefined) continue;
      const col = COLUMN[key];
      sets.push(`${col} = @${col}`);
      values[col] = Array.isArray(value) ? JSON.stringify(value) : value;
    }
    const at = now();
    if (patch.status !== undefined && patch.status !== current.status) {
      sets.push('completed_at = @completed_at');
      values.completed_at = patch.status === 'done' ? at : null;
    }
    sets.push('updated_at = @updated_at');
    values.updated_at = at;
    prepared(`UPDATE tasks SET ${sets.join(', ')} WHERE id = @id`).run(values);
    return requireTask(id);
  };

  /** WHERE terms and their parameters for a project / branch scope. */
  const scopeTerms = (scope: { projectId?: string; gitBranchId?: string }): { where: string[]; params: unknown[] } => {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [col, value] of [
      ['project_id', scope.projectId],
      ['git_branch_id', scope.gitBranchId],
    ] as const) {
      if (value) {
        where.push(`${col} = ?`);
        params.push(value);
      }
    }
    return { where, params };
  };

  const listTasks = (filter: TaskFilter = {}): { tasks: TaskRecord[]; total: number } => {
    const { where, params } = scopeTerms(filter);
    for (const [col, values] of [
      ['status', filter.statuses],
      ['priority', filter.priorities],
    ] as const) {
      if (values?.length) {
        where.push(`${col} IN (${values.map(() => '?').join(', ')})`);
        params.push(...values);
      }
    }
    for (const [col, values] of [
      ['assignees', filter.assignees],
      ['labels', filter.labels],
    ] as const) {
      if (values?.length) {
        where.push(`EXISTS (SELECT 1 FROM json_each(tasks.${col}) WHERE value IN (${values.map(() => '?').join(', ')}))`);
        params.push(...values);
      }
    }
    if (filter.query) {
      const like = `%${filter.query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push("(title LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\' OR details LIKE ? ESCAPE '\\' OR labels LIKE ? ESCAPE '\\' OR id = ?)");
      params.push(like, like, like, like, filter.query);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (prepared(`SELECT COUNT(*) AS n FROM tasks ${clause}`).get(...params) as { n: number }).n;
    const dir = filter.sortOrder === 'desc' ? 'DESC' : 'ASC';
    const order =
      filter.sortBy === 'priority'
        ? `${PRIORITY_ORDER_SQL} ${dir}, created_at, rowid`
        : filter.sortBy === 'status'
          ? `${STATUS_ORDER_SQL} ${dir}, created_at, rowid`
          : filter.sortBy
            ? `${filter.sortBy} ${dir}, rowid ${dir}`
            : `${PRIORITY_ORDER_SQL} DESC, created_at, rowid`;
    const rows = prepared(`SELECT * FROM tasks ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...params, filter.limit ?? 50, filter.offset ?? 0) as TaskRow[];
    return { tasks: rows.map(toTask), total };
  };

  const dependencyDone = db.prepare("SELECT status = 'done' AS done FROM tasks WHERE id = ?");
  const allDependenciesDone = (t: TaskRecord): boolean =>
    t.dependencies.every((dep) => (dependencyDone.get(dep) as { done: number } | undefined)?.done === 1);

  return {
    file,
    db,
    createProject: (input) =>
      write(() => {
        const name = checkName('Project name', input.name);
        if (stmt.projectByName.get(name)) throw new TaskDbError('ALREADY_EXISTS', `Project already exists: ${name}`);
        return insertProject(name, input.description ?? '');
      }),
    getProject,
    ensureProject: (name) =>
      write(() => getProject(name) ?? insertProject(name, '')),
    listProjects: () => (db.prepare('SELECT * FROM projects ORDER BY created_at, rowid').all() as NamedRow[]).map(toProject),
    updateProject: (id, patch) =>
      write(() => {
        const p = requireProject(id);
        const name = patch.name === undefined ? p.name : checkName('Project name', patch.name);
        const other = getProject(name);
        if (other && other.id !== p.id) throw new TaskDbError('ALREADY_EXISTS', `Project already exists: ${name}`);
        db.prepare('UPDATE projects SET name = ?, description = ?, updated_at = ? WHERE id = ?').run(name, patch.description ?? p.description, now(), p.id);
        return requireProject(p.id);
      }),
    createBranch: (input) =>
      write(() => {
        const project = requireProject(input.projectId);
        const name = checkName('Git branch name', input.name);
        if (stmt.branchByName.get(project.id, name)) throw new TaskDbError('ALREADY_EXISTS', `Git branch already exists in ${project.name}: ${name}`);
        return insertBranch(project.id, name, input.description ?? '');
      }),
    getBranch,
    findBranch: (projectId, name) => {
      const row = stmt.branchByName.get(projectId, name) as (NamedRow & { project_id: string }) | undefined;
      return row && toBranch(row);
    },
    ensureBranch: (projectId, name) =>
      write(() => {
        const project = requireProject(projectId);
        const row = stmt.branchByName.get(project.id, name) as (NamedRow & { project_id: string }) | undefined;
        return row ? toBranch(row) : insertBranch(project.id, name, '');
      }),
    listBranches: (projectId) =>
      (db.prepare('SELECT * FROM git_branches WHERE project_id = ? ORDER BY created_at, rowid').all(requireProject(projectId).id) as (NamedRow & {
        project_id: string;
      })[]).map(toBranch),
    updateBranch: (id, patch) =>
      write(() => {
        const b = requireBranch(id);
        const name = patch.name === undefined ? b.name : checkName('Git branch name', patch.name);
        const other = stmt.branchByName.get(b.projectId, name) as { id: string } | undefined;
        if (other && other.id !== b.id) throw new TaskDbError('ALREADY_EXISTS', `Git branch already exists: ${name}`);
        db.prepare('UPDATE git_branches SET name = ?, description = ?, updated_at = ? WHERE id = ?').run(name, patch.description ?? b.description, now(), b.id);
        return requireBranch(b.id);
      }),
    deleteBranch: (id) =>
      write(() => {
        requireBranch(id);
        db.prepare('DELETE FROM git_branches WHERE id = ?').run(id);
      }),
    createTask: (input) => write(() => createOne(input)),
    createTasks: (inputs) => write(() => inputs.map(createOne)),
    getTask,
    updateTask: (id, patch) => write(() => applyPatch(id, patch)),
    setStatus: (id, status, completionSummary) =>
      write(() => applyPatch(id, completionSummary === undefined ? { status } : { status, completionSummary })),
    deleteTask: (id) =>
      write(() => {
        requireTask(id);
        db.prepare('DELETE FROM tasks WHERE id = ?').run(id);
        // A deleted task cannot be finished, so nothing may keep waiting on it.
        const dependents = db
          .prepare("SELECT id, dependencies FROM tasks WHERE EXISTS (SELECT 1 FROM json_each(tasks.dependencies) WHERE value = ?)")
          .all(id) as { id: string; dependencies: string }[];
        for (const d of dependents) {
          const deps = (JSON.parse(d.dependencies) as string[]).filter((x) => x !== id);
          db.prepare('UPDATE tasks SET dependencies = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(deps), now(), d.id);
        }
      }),
    addDependency: (id, dependencyId) =>
      write(() => {
        const t = requireTask(id);
        requireTask(dependencyId);
        if (id === dependencyId) throw invalid(`Task ${id} cannot depend on itself`);
        if (t.dependencies.includes(dependencyId)) return t;
        return applyPatch(id, { dependencies: [...t.dependencies, dependencyId] });
      }),
    removeDependency: (id, dependencyId) =>
      write(() => {
        const t = requireTask(id);
        return applyPatch(id, { dependencies: t.dependencies.filter((d) => d !== dependencyId) });
      }),
    listTasks,
    nextTask: (scope = {}) => {
      const statuses = scope.statuses ?? ['in_progress', 'todo'];
      const { where, params } = scopeTerms(scope);
      where.push(`status IN (${statuses.map(() => '?').join(', ')})`);
      params.push(...statuses);
      const rows = prepared(`SELECT * FROM tasks WHERE ${where.join(' AND ')} ORDER BY ${PRIORITY_ORDER_SQL} DESC, ${STARTED_FIRST_SQL}, created_at, rowid`)
        .iterate(...params) as IterableIterator<TaskRow>;
      let waiting = 0;
      for (const row of rows) {
        const t = toTask(row);
        if (allDependenciesDone(t)) return { task: t, waitingOnDependencies: waiting };
        waiting++;
      }
      return { task: null, waitingOnDependencies: waiting };
    },
    countTasks: () => (db.prepare('SELECT COUNT(*) AS n FROM tasks').get() as { n: number }).n,
    nextId: (projectId, type) =>
      write(() => {
        checkArtifactType(type);
        return formatArtifactId(type, advanceCounter(projectId, type, 1));
      }),
    reserveIds: (projectId, type, count, ttlMs = DEFAULT_RESERVATION_TTL_MS) =>
      write(() => {
        checkArtifactType(type);
        if (!Number.isInteger(count) || count < 1 || count > 100) throw invalid(`Invalid count: ${count}. Allowed values: 1..100`);
        const first = advanceCounter(projectId, type, count);
        const reservationId = randomUUID();
        const created = new Date();
        const expiresAt = new Date(created.getTime() + ttlMs).toISOString();
        db.prepare(
          'INSERT INTO id_reservations (id, project_id, artifact_type, first_number, count, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ).run(reservationId, projectId, type, first, count, created.toISOString(), expiresAt);
        return { reservationId, reservedIds: Array.from({ length: count }, (_, i) => formatArtifactId(type, first + i)), expiresAt };
      }),
    close: () => {
      if (db.open) db.close();
    },
  };
}
