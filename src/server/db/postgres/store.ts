// The PostgreSQL engine of the TaskStore: a team's shared database that any number of server processes use at once.
// Under READ COMMITTED nothing is atomic by itself, so each read-modify-write says below which mechanism holds it: a
// single statement (INSERT … ON CONFLICT, a conditional UPDATE … RETURNING) or a row lock (SELECT … FOR UPDATE)
// inside a transaction. Every committed task write also runs pg_notify in its transaction, and every process LISTENs,
// so each one hears every process's changes, its own included.
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient, Client } from 'pg';
import type { TaskPriority, TaskStatus } from '../../../tasks/task.js';
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
import type { StoreChange } from '../connection.js';
import {
  ARTIFACT_ID,
  DEFAULT_RESERVATION_TTL_MS,
  checkArtifactType,
  checkReservation,
  formatArtifactId,
} from '../ids.js';
import type { TaskStore } from '../store.js';
import { PRIORITY_ORDER_SQL, STARTED_FIRST_SQL, STATUS_ORDER_SQL } from '../task-queries.js';
import { EXPORT_FORMAT, EXPORT_VERSION } from '../transfer-format.js';
import type { ExportedIdCounter, ExportedReservation, StoreExport } from '../transfer-schema.js';
import { exportedTask, plan, type ExportedTask, type StoreRows } from '../transfer.js';
import type { GitBranch, NewTask, Project, TaskFilter, TaskNote, TaskPatch, TaskRecord } from '../types.js';
import type { Logger } from '../../../log/logger.js';
import { migratePostgres } from './schema.js';
import { ensureRequestTable, postgresLedger } from './requests.js';

export const CHANGE_CHANNEL = 'taskhooks_changes';

/** Whether a store location names a PostgreSQL database rather than a SQLite file. */
export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location);
/** pg_notify payloads must stay under 8000 bytes: a big batch is told in several notifications. */
const IDS_PER_NOTIFY = 100;

export interface PostgresStoreOptions {
  /** A postgres:// URL (its password is a secret: never logged). */
  connectionString: string;
  /** Connections in the pool; default 10. */
  maxConnections?: number;
  /** Where a connection's failure is logged: calls go on (the pool reconnects), and so does the change feed. */
  log?: Logger;
  /** Told of the same failures, after the log. */
  onFeedError?: (err: Error) => void;
}

interface ProjectRow {
  id: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}
type BranchRow = ProjectRow & { project_id: string };
interface TaskRow {
  id: string;
  project_id: string;
  git_branch_id: string | null;
  title: string;
  description: string;
  details: string;
  status: string;
  priority: string;
  assignees: string[];
  labels: string[];
  dependencies: string[];
  estimated_effort: string | null;
  due_date: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  completion_summary: string | null;
  version: number;
  claimed_by: string | null;
  claim_expires_at: Date | null;
}
interface NoteRow {
  id: number;
  task_id: string;
  author: string;
  text: string;
  created_at: string;
}

const toProject = (r: ProjectRow): Project => ({
  id: r.id,
  name: r.name,
  description: r.description,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
const toBranch = (r: BranchRow): GitBranch => ({ ...toProject(r), projectId: r.project_id });
const toNote = (r: NoteRow): TaskNote => ({
  id: r.id,
  taskId: r.task_id,
  author: r.author,
  text: r.text,
  createdAt: r.created_at,
});
const toTask = (r: TaskRow): TaskRecord => ({
  id: r.id,
  projectId: r.project_id,
  gitBranchId: r.git_branch_id,
  title: r.title,
  description: r.description,
  details: r.details,
  status: r.status as TaskStatus,
  priority: r.priority as TaskPriority,
  assignees: r.assignees,
  labels: r.labels,
  dependencies: r.dependencies,
  estimatedEffort: r.estimated_effort,
  dueDate: r.due_date,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  completedAt: r.completed_at,
  completionSummary: r.completion_summary,
  version: r.version,
  claimedBy: r.claimed_by,
  claimExpiresAt: r.claim_expires_at && r.claim_expires_at.toISOString(),
});

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
  gitBranchId: 'git_branch_id',
};

const now = (): string => new Date().toISOString();
const UNIQUE_VIOLATION = '23505';
const isUnique = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === UNIQUE_VIOLATION;

/** A query runner: the pool (one autocommitted statement) or a transaction's client. */
type Q = Pick<PoolClient, 'query'>;

/** What a transaction changed, told through pg_notify just before it commits. */
class Changes {
  private readonly byProject = new Map<string, Set<string>>();
  add(projectId: string, taskIds: readonly string[] = []): void {
    const ids = this.byProject.get(projectId) ?? new Set<string>();
    for (const id of taskIds) ids.add(id);
    this.byProject.set(projectId, ids);
  }
  async notify(q: Q): Promise<void> {
    for (const [projectId, ids] of this.byProject) {
      const { rows } = await q.query<{ name: string }>('SELECT name FROM projects WHERE id = $1', [projectId]);
      const project = rows[0]?.name;
      if (!project) continue;
      const all = [...ids];
      for (let i = 0; i === 0 || i < all.length; i += IDS_PER_NOTIFY) {
        const change: StoreChange = { project, taskIds: all.slice(i, i + IDS_PER_NOTIFY) };
        await q.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, JSON.stringify(change)]);
      }
    }
  }
}

async function one<T>(q: Q, sql: string, params: unknown[] = []): Promise<T | undefined> {
  return (await q.query(sql, params)).rows[0] as T | undefined;
}

async function all<T>(q: Q, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await q.query(sql, params)).rows as T[];
}

async function getProject(q: Q, idOrName: string): Promise<Project | undefined> {
  const row = await one<ProjectRow>(
    q,
    'SELECT * FROM projects WHERE id = $1 OR name = $1 ORDER BY (id = $1) DESC LIMIT 1',
    [idOrName],
  );
  return row && toProject(row);
}

async function requireProject(q: Q, id: string): Promise<Project> {
  const p = await getProject(q, id);
  if (!p) throw noSuch('Project', id);
  return p;
}

async function getBranch(q: Q, id: string): Promise<GitBranch | undefined> {
  const row = await one<BranchRow>(q, 'SELECT * FROM git_branches WHERE id = $1', [id]);
  return row && toBranch(row);
}

async function requireBranch(q: Q, id: string): Promise<GitBranch> {
  const b = await getBranch(q, id);
  if (!b) throw noSuch('Git branch', id);
  return b;
}

async function getTask(q: Q, id: string, lock = false): Promise<TaskRecord | undefined> {
  const row = await one<TaskRow>(q, `SELECT * FROM tasks WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return row && toTask(row);
}

async function requireTask(q: Q, id: string, lock = false): Promise<TaskRecord> {
  const t = await getTask(q, id, lock);
  if (!t) throw noSuch('Task', id);
  return t;
}

// One upsert: the counter row's lock, held to the end of the transaction, orders concurrent callers, and each reads
// the value its own update produced (RETURNING), so no two callers get the same numbers.
async function advanceCounter(q: Q, projectId: string, type: string, count: number): Promise<number> {
  const row = await one<{ last_assigned: number }>(
    q,
    `INSERT INTO id_counters (project_id, artifact_type, last_assigned) VALUES ($1, $2, $3)
     ON CONFLICT (project_id, artifact_type) DO UPDATE SET last_assigned = id_counters.last_assigned + excluded.last_assigned
     RETURNING last_assigned`,
    [projectId, type, count],
  );
  return (row?.last_assigned ?? count) - count + 1;
}

/** An explicit `TASK-046` moves the counter past 46 in one upsert (GREATEST), never back. */
async function noteExplicitId(q: Q, projectId: string, id: string): Promise<void> {
  const m = ARTIFACT_ID.exec(id);
  if (!m?.[1] || !m[2]) return;
  await q.query(
    `INSERT INTO id_counters (project_id, artifact_type, last_assigned) VALUES ($1, $2, $3)
     ON CONFLICT (project_id, artifact_type) DO UPDATE SET last_assigned = GREATEST(id_counters.last_assigned, excluded.last_assigned)`,
    [projectId, m[1], Number(m[2])],
  );
}

const INSERT_TASK = `INSERT INTO tasks (id, project_id, git_branch_id, title, description, details, status, priority, assignees, labels,
  dependencies, estimated_effort, due_date, created_at, updated_at, completed_at, completion_summary)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, NULL)
  ON CONFLICT (id) DO NOTHING RETURNING *`;

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
  const insert = (id: string): Promise<TaskRow | undefined> =>
    one<TaskRow>(q, INSERT_TASK, [
      id,
      project.id,
      branchId,
      title,
      input.description ?? '',
      input.details ?? '',
      status,
      priority,
      JSON.stringify(input.assignees ?? []),
      JSON.stringify(input.labels ?? []),
      JSON.stringify(input.dependencies ?? []),
      input.estimatedEffort ?? null,
      input.dueDate ?? null,
      at,
      status === 'done' ? at : null,
    ]);
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
  for (const [key, value] of Object.entries(patch) as [keyof TaskPatch, unknown][]) {
    if (value !== undefined) set(COLUMN[key], Array.isArray(value) ? JSON.stringify(value) : value);
  }
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

function filterTerms(filter: TaskFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.projectId) where.push(`project_id = ${p(filter.projectId)}`);
  if (filter.gitBranchId) where.push(`git_branch_id = ${p(filter.gitBranchId)}`);
  if (filter.statuses?.length) where.push(`status = ANY(${p(filter.statuses)}::text[])`);
  if (filter.priorities?.length) where.push(`priority = ANY(${p(filter.priorities)}::text[])`);
  if (filter.assignees?.length) where.push(`assignees ?| ${p(filter.assignees)}::text[]`);
  if (filter.labels?.length) where.push(`labels ?| ${p(filter.labels)}::text[]`);
  if (filter.query) {
    const like = p(`%${filter.query.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
    where.push(
      `(title ILIKE ${like} OR description ILIKE ${like} OR details ILIKE ${like} OR labels::text ILIKE ${like} OR id = ${p(filter.query)})`,
    );
  }
  return { where, params };
}

function orderOf(filter: TaskFilter): string {
  const dir = filter.sortOrder === 'desc' ? 'DESC' : 'ASC';
  if (filter.sortBy === 'priority') return `${PRIORITY_ORDER_SQL} ${dir}, created_at, seq`;
  if (filter.sortBy === 'status') return `${STATUS_ORDER_SQL} ${dir}, created_at, seq`;
  if (filter.sortBy) return `${filter.sortBy} ${dir}, seq ${dir}`;
  return `${PRIORITY_ORDER_SQL} DESC, created_at, seq`;
}

// A claim is one conditional UPDATE: PostgreSQL re-checks the WHERE on the row's newest version after waiting for a
// concurrent writer's lock, so of many claimants exactly one matches while the lease is live.
const CLAIM = `UPDATE tasks SET claimed_by = $2, claim_expires_at = now() + make_interval(secs => $3), version = version + 1, updated_at = $5,
    assignees = CASE WHEN $6::text IS NOT NULL AND assignees = '[]'::jsonb THEN jsonb_build_array($6::text) ELSE assignees END
  WHERE id = $1 AND (claimed_by IS NULL OR claimed_by = $2 OR claim_expires_at < now()) AND ($4::integer IS NULL OR version = $4)
  RETURNING *`;

const RELEASE = `UPDATE tasks SET claimed_by = NULL, claim_expires_at = NULL, version = version + 1, updated_at = $3
  WHERE id = $1 AND claimed_by = $2 RETURNING *`;

/** Opens the PostgreSQL store: the pool, the schema migrated, and the LISTEN connection of the change feed. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<TaskStore> {
  // Loaded here only: a process on the SQLite store never loads the driver.
  const pg = (await import('pg')).default;
  const pool: Pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
  const failed = (err: Error, what: string): void => {
    options.log?.warn({ err }, `PostgreSQL task store: ${what}`);
    options.onFeedError?.(err);
  };
  // An idle client's error (the server restarted) must not end the process; the next query reconnects.
  pool.on('error', (err) => failed(err, 'an idle pooled connection failed'));
  await migratePostgres(pool);
  await ensureRequestTable(pool);
  const listeners = new Set<(c: StoreChange) => void>();
  const tell = (change: StoreChange): void => {
    for (const l of listeners) l(change);
  };
  let closed = false;
  let listener: Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  // The feed's own connection. When it drops (the server restarted, a proxy cut it), it reconnects with backoff, and
  // since whatever was notified meanwhile is lost, every project is then told as changed: listeners fetch again.
  const listen = async (): Promise<void> => {
    const client: Client = new pg.Client({ connectionString: options.connectionString });
    client.on('notification', (msg) => {
      if (msg.channel === CHANGE_CHANNEL && msg.payload) tell(JSON.parse(msg.payload) as StoreChange);
    });
    client.on('error', (err) => failed(err, 'the change feed connection failed; reconnecting'));
    client.on('end', () => {
      if (!closed && listener === client) reconnect(1000);
    });
    await client.connect();
    await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    listener = client;
  };
  const reconnect = (delayMs: number): void => {
    listener = undefined;
    retry = setTimeout(() => {
      listen()
        .then(async () => {
          for (const p of await all<ProjectRow>(pool, 'SELECT * FROM projects')) tell({ project: p.name, taskIds: [] });
        })
        .catch((err: unknown) => {
          failed(
            err instanceof Error ? err : new Error(String(err)),
            'the change feed could not reconnect; trying again',
          );
          if (!closed) reconnect(Math.min(delayMs * 2, 30_000));
        });
    }, delayMs);
    retry.unref();
  };
  await listen();

  /** Runs `fn` in a READ COMMITTED transaction; what it changed is notified inside it, so only commits are told. */
  async function tx<T>(fn: (q: Q, changes: Changes) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const changes = new Changes();
      const result = await fn(client, changes);
      await changes.notify(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

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
    };
  }

  const insertProject = (q: Q, name: string, description: string): Promise<ProjectRow | undefined> => {
    const at = now();
    return one<ProjectRow>(
      q,
      'INSERT INTO projects (id, name, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT (name) DO NOTHING RETURNING *',
      [randomUUID(), name, description, at],
    );
  };
  const insertBranch = (q: Q, projectId: string, name: string, description: string): Promise<BranchRow | undefined> => {
    const at = now();
    return one<BranchRow>(
      q,
      `INSERT INTO git_branches (id, project_id, name, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
       ON CONFLICT (project_id, name) DO NOTHING RETURNING *`,
      [randomUUID(), projectId, name, description, at],
    );
  };

  return {
    engine: 'postgres',
    ...postgresLedger(pool),
    createProject: (input) =>
      tx(async (q, changes) => {
        const name = requireNonEmpty('Project name', input.name);
        const row = await insertProject(q, name, input.description ?? '');
        if (!row) throw new TaskDbError('ALREADY_EXISTS', `Project already exists: ${name}`);
        changes.add(row.id);
        return toProject(row);
      }),
    // Get-or-create: ON CONFLICT DO NOTHING waits for a concurrent insert of the name to commit, then inserts nothing;
    // the SELECT after it, a new statement, sees that committed row.
    getOrCreateProject: (input) =>
      tx(async (q, changes) => {
        const name = requireNonEmpty('Project name', input.name);
        const row = await insertProject(q, name, input.description ?? '');
        if (row) {
          changes.add(row.id);
          return { project: toProject(row), created: true };
        }
        return {
          project: toProject(
            (await one<ProjectRow>(q, 'SELECT * FROM projects WHERE name = $1', [name])) as ProjectRow,
          ),
          created: false,
        };
      }),
    getProject: (idOrName) => getProject(pool, idOrName),
    listProjects: async () =>
      (await all<ProjectRow>(pool, 'SELECT * FROM projects ORDER BY created_at, seq')).map(toProject),
    updateProject: (id, patch) =>
      tx(async (q, changes) => {
        const p = await requireProject(q, id);
        const name = patch.name === undefined ? p.name : requireNonEmpty('Project name', patch.name);
        try {
          // The row lock of this UPDATE, and the unique index on name, hold it against a concurrent rename.
          const row = await one<ProjectRow>(
            q,
            'UPDATE projects SET name = $2, description = $3, updated_at = $4 WHERE id = $1 RETURNING *',
            [p.id, name, patch.description ?? p.description, now()],
          );
          changes.add(p.id);
          return toProject(row as ProjectRow);
        } catch (err) {
          if (isUnique(err)) throw new TaskDbError('ALREADY_EXISTS', `Project already exists: ${name}`);
          throw err;
        }
      }),
    createBranch: (input) =>
      tx(async (q, changes) => {
        const project = await requireProject(q, input.projectId);
        const name = requireNonEmpty('Git branch name', input.name);
        const row = await insertBranch(q, project.id, name, input.description ?? '');
        if (!row) throw new TaskDbError('ALREADY_EXISTS', `Git branch already exists in ${project.name}: ${name}`);
        changes.add(project.id);
        return toBranch(row);
      }),
    // Get-or-create as for projects: ON CONFLICT DO NOTHING on (project_id, name), then a fresh SELECT.
    getOrCreateBranch: (input) =>
      tx(async (q, changes) => {
        const project = await requireProject(q, input.projectId);
        const name = requireNonEmpty('Git branch name', input.name);
        const row = await insertBranch(q, project.id, name, input.description ?? '');
        if (row) {
          changes.add(project.id);
          return { branch: toBranch(row), created: true };
        }
        const existing = await one<BranchRow>(q, 'SELECT * FROM git_branches WHERE project_id = $1 AND name = $2', [
          project.id,
          name,
        ]);
        return { branch: toBranch(existing as BranchRow), created: false };
      }),
    getBranch: (id) => getBranch(pool, id),
    findBranch: async (projectId, name) => {
      const row = await one<BranchRow>(pool, 'SELECT * FROM git_branches WHERE project_id = $1 AND name = $2', [
        projectId,
        name,
      ]);
      return row && toBranch(row);
    },
    listBranches: async (projectId) => {
      const project = await requireProject(pool, projectId);
      return (
        await all<BranchRow>(pool, 'SELECT * FROM git_branches WHERE project_id = $1 ORDER BY created_at, seq', [
          project.id,
        ])
      ).map(toBranch);
    },
    updateBranch: (id, patch) =>
      tx(async (q, changes) => {
        const b = await requireBranch(q, id);
        const name = patch.name === undefined ? b.name : requireNonEmpty('Git branch name', patch.name);
        try {
          const row = await one<BranchRow>(
            q,
            'UPDATE git_branches SET name = $2, description = $3, updated_at = $4 WHERE id = $1 RETURNING *',
            [b.id, name, patch.description ?? b.description, now()],
          );
          changes.add(b.projectId);
          return toBranch(row as BranchRow);
        } catch (err) {
          if (isUnique(err)) throw new TaskDbError('ALREADY_EXISTS', `Git branch already exists: ${name}`);
          throw err;
        }
      }),
    deleteBranch: (id) =>
      tx(async (q, changes) => {
        changes.add((await requireBranch(q, id)).projectId);
        await q.query('DELETE FROM git_branches WHERE id = $1', [id]);
      }),
    createTask: (input) => tx((q, changes) => createOne(q, changes, input)),
    createTasks: (inputs) =>
      tx(async (q, changes) => {
        const created: TaskRecord[] = [];
        for (const input of inputs) created.push(await createOne(q, changes, input));
        return created;
      }),
    getTask: (id) => getTask(pool, id),
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
    listTasks: async (filter = {}) => {
      const { where, params } = filterTerms(filter);
      const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = Number(
        (await one<{ n: string }>(pool, `SELECT COUNT(*) AS n FROM tasks ${clause}`, params))?.n ?? 0,
      );
      const n = params.length;
      const rows = await all<TaskRow>(
        pool,
        `SELECT * FROM tasks ${clause} ORDER BY ${orderOf(filter)} LIMIT $${n + 1} OFFSET $${n + 2}`,
        [...params, filter.limit ?? 50, filter.offset ?? 0],
      );
      return { tasks: rows.map(toTask), total };
    },
    nextTask: async (scope = {}) => {
      const { where, params } = filterTerms({ ...scope, statuses: scope.statuses ?? ['in_progress', 'todo'] });
      const rows = await all<TaskRow>(
        pool,
        `SELECT * FROM tasks WHERE ${where.join(' AND ')} ORDER BY ${PRIORITY_ORDER_SQL} DESC, ${STARTED_FIRST_SQL}, created_at, seq`,
        params,
      );
      const deps = [...new Set(rows.flatMap((r) => r.dependencies))];
      const done = new Set(
        (
          await all<{ id: string }>(pool, "SELECT id FROM tasks WHERE status = 'done' AND id = ANY($1::text[])", [deps])
        ).map((r) => r.id),
      );
      let waiting = 0;
      for (const row of rows) {
        if (row.dependencies.every((d) => done.has(d))) return { task: toTask(row), waitingOnDependencies: waiting };
        waiting++;
      }
      return { task: null, waitingOnDependencies: waiting };
    },
    countTasks: async () => Number((await one<{ n: string }>(pool, 'SELECT COUNT(*) AS n FROM tasks'))?.n ?? 0),
    nextId: async (projectId, type) => {
      checkArtifactType(type);
      return formatArtifactId(type, await advanceCounter(pool, projectId, type, 1));
    },
    reserveIds: (projectId, type, count, ttlMs = DEFAULT_RESERVATION_TTL_MS) =>
      tx(async (q) => {
        checkReservation(type, count);
        const first = await advanceCounter(q, projectId, type, count);
        const created = new Date();
        await q.query('DELETE FROM id_reservations WHERE expires_at < $1', [created.toISOString()]);
        const reservationId = randomUUID();
        const expiresAt = new Date(created.getTime() + ttlMs).toISOString();
        await q.query(
          'INSERT INTO id_reservations (id, project_id, artifact_type, first_number, count, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [reservationId, projectId, type, first, count, created.toISOString(), expiresAt],
        );
        return {
          reservationId,
          reservedIds: Array.from({ length: count }, (_, i) => formatArtifactId(type, first + i)),
          expiresAt,
        };
      }),
    claimTask: ({ taskId, claimant, leaseSeconds, version, assignee }) =>
      tx(async (q, changes) => {
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
      tx(async (q, changes) => {
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
    addNote: (taskId, text, author = '') =>
      tx(async (q, changes) => {
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
      (await all<NoteRow>(pool, 'SELECT * FROM task_notes WHERE task_id = $1 ORDER BY id', [taskId])).map(toNote),
    // One REPEATABLE READ snapshot: the file is one moment of the store while other processes go on writing.
    exportData: async () => {
      const client = await pool.connect();
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
      tx(async (q, changes) => {
        await q.query(
          'LOCK TABLE projects, git_branches, tasks, id_counters, id_reservations IN SHARE ROW EXCLUSIVE MODE',
        );
        const here = await readAll(q);
        const filled = here.projects.length + here.tasks.length + here.idCounters.length + here.reservations.length;
        if (!options.merge && filled > 0) {
          throw invalid(
            `the task store is not empty (${here.projects.length} projects, ${here.tasks.length} tasks): an import fills only an empty store unless it merges`,
          );
        }
        const p = plan(data, here);
        if (options.dryRun || p.report.clashes.length > 0 || (p.report.overwrites.length > 0 && !options.overwrite))
          return p.report;
        for (const [kind, row] of [...p.adds, ...p.updates]) {
          await upsert(q, kind, row);
          if (kind !== 'reservations')
            changes.add(kind === 'projects' ? row.id : (row as GitBranch | ExportedTask).projectId);
        }
        for (const k of p.counters) {
          await q.query(
            `INSERT INTO id_counters (project_id, artifact_type, last_assigned) VALUES ($1, $2, $3)
             ON CONFLICT (project_id, artifact_type) DO UPDATE SET last_assigned = GREATEST(id_counters.last_assigned, excluded.last_assigned)`,
            [k.projectId, k.artifactType, k.lastAssigned],
          );
        }
        return { ...p.report, applied: true };
      }),
    subscribeChanges: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    close: async () => {
      closed = true;
      clearTimeout(retry);
      listeners.clear();
      await listener?.end().catch(() => undefined);
      await pool.end();
    },
  };
}

/** Writes one imported row as it is in the file: inserted, or replacing the row with its id. */
async function upsert(
  q: Q,
  kind: 'projects' | 'branches' | 'tasks' | 'reservations',
  row: Project | GitBranch | ExportedTask | ExportedReservation,
): Promise<void> {
  if (kind === 'projects') {
    const p = row as Project;
    await q.query(
      `INSERT INTO projects (id, name, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description, created_at = excluded.created_at, updated_at = excluded.updated_at`,
      [p.id, p.name, p.description, p.createdAt, p.updatedAt],
    );
  } else if (kind === 'branches') {
    const b = row as GitBranch;
    await q.query(
      `INSERT INTO git_branches (id, project_id, name, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET project_id = excluded.project_id, name = excluded.name, description = excluded.description,
       created_at = excluded.created_at, updated_at = excluded.updated_at`,
      [b.id, b.projectId, b.name, b.description, b.createdAt, b.updatedAt],
    );
  } else if (kind === 'tasks') {
    const t = row as ExportedTask;
    await q.query(
      `INSERT INTO tasks (id, project_id, git_branch_id, title, description, details, status, priority, assignees, labels, dependencies,
       estimated_effort, due_date, created_at, updated_at, completed_at, completion_summary)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (id) DO UPDATE SET project_id = excluded.project_id, git_branch_id = excluded.git_branch_id, title = excluded.title,
       description = excluded.description, details = excluded.details, status = excluded.status, priority = excluded.priority,
       assignees = excluded.assignees, labels = excluded.labels, dependencies = excluded.dependencies, estimated_effort = excluded.estimated_effort,
       due_date = excluded.due_date, created_at = excluded.created_at, updated_at = excluded.updated_at, completed_at = excluded.completed_at,
       completion_summary = excluded.completion_summary, version = tasks.version + 1`,
      [
        t.id,
        t.projectId,
        t.gitBranchId,
        t.title,
        t.description,
        t.details,
        t.status,
        t.priority,
        JSON.stringify(t.assignees),
        JSON.stringify(t.labels),
        JSON.stringify(t.dependencies),
        t.estimatedEffort,
        t.dueDate,
        t.createdAt,
        t.updatedAt,
        t.completedAt,
        t.completionSummary,
      ],
    );
  } else {
    const r = row as ExportedReservation;
    await q.query(
      `INSERT INTO id_reservations (id, project_id, artifact_type, first_number, count, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET project_id = excluded.project_id, artifact_type = excluded.artifact_type, first_number = excluded.first_number,
       count = excluded.count, created_at = excluded.created_at, expires_at = excluded.expires_at`,
      [r.id, r.projectId, r.artifactType, r.firstNumber, r.count, r.createdAt, r.expiresAt],
    );
  }
}
