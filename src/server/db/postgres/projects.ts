// Projects and their git branches on PostgreSQL. Creating one that exists is ON CONFLICT DO NOTHING and then a fresh
// read, so concurrent first writes to a new project all land on the one row.
import { randomUUID } from 'node:crypto';
import { TaskDbError, noSuch, requireNonEmpty } from '../../errors.js';
import { now } from '../rows.js';
import { toBranch, toProject, type BranchRow, type ProjectRow } from '../rows.js';
import type { TaskStore } from '../store.js';
import type { GitBranch, Project } from '../types.js';
import type { PgConnection } from './connection.js';
import { all, isUnique, one, type Q } from './query.js';

export async function getProject(q: Q, idOrName: string): Promise<Project | undefined> {
  const row = await one<ProjectRow>(
    q,
    'SELECT * FROM projects WHERE id = $1 OR name = $1 ORDER BY (id = $1) DESC LIMIT 1',
    [idOrName],
  );
  return row && toProject(row);
}

export async function requireProject(q: Q, id: string): Promise<Project> {
  const p = await getProject(q, id);
  if (!p) throw noSuch('Project', id);
  return p;
}

export async function getBranch(q: Q, id: string): Promise<GitBranch | undefined> {
  const row = await one<BranchRow>(q, 'SELECT * FROM git_branches WHERE id = $1', [id]);
  return row && toBranch(row);
}

export async function requireBranch(q: Q, id: string): Promise<GitBranch> {
  const b = await getBranch(q, id);
  if (!b) throw noSuch('Git branch', id);
  return b;
}

const insertProject = (q: Q, name: string, description: string): Promise<ProjectRow | undefined> =>
  one<ProjectRow>(
    q,
    'INSERT INTO projects (id, name, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT (name) DO NOTHING RETURNING *',
    [randomUUID(), name, description, now()],
  );

const insertBranch = (q: Q, projectId: string, name: string, description: string): Promise<BranchRow | undefined> =>
  one<BranchRow>(
    q,
    `INSERT INTO git_branches (id, project_id, name, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
     ON CONFLICT (project_id, name) DO NOTHING RETURNING *`,
    [randomUUID(), projectId, name, description, now()],
  );

const branchByName = (q: Q, projectId: string, name: string): Promise<BranchRow | undefined> =>
  one<BranchRow>(q, 'SELECT * FROM git_branches WHERE project_id = $1 AND name = $2', [projectId, name]);

type Methods =
  | 'createProject'
  | 'getOrCreateProject'
  | 'getProject'
  | 'listProjects'
  | 'updateProject'
  | 'createBranch'
  | 'getOrCreateBranch'
  | 'getBranch'
  | 'findBranch'
  | 'listBranches'
  | 'updateBranch'
  | 'deleteBranch';

/** Renames run as one UPDATE: its row lock and the unique index hold them against a concurrent rename. */
function renames(c: PgConnection): Pick<TaskStore, 'updateProject' | 'updateBranch'> {
  const renamed = async <R>(clash: string, write: () => Promise<R | undefined>): Promise<R> => {
    try {
      return (await write()) as R;
    } catch (err) {
      if (isUnique(err)) throw new TaskDbError('ALREADY_EXISTS', clash);
      throw err;
    }
  };
  return {
    updateProject: (id, patch) =>
      c.tx(async (q, changes) => {
        const p = await requireProject(q, id);
        const name = patch.name === undefined ? p.name : requireNonEmpty('Project name', patch.name);
        const row = await renamed(`Project already exists: ${name}`, () =>
          one<ProjectRow>(
            q,
            'UPDATE projects SET name = $2, description = $3, updated_at = $4 WHERE id = $1 RETURNING *',
            [p.id, name, patch.description ?? p.description, now()],
          ),
        );
        changes.add(p.id);
        return toProject(row);
      }),
    updateBranch: (id, patch) =>
      c.tx(async (q, changes) => {
        const b = await requireBranch(q, id);
        const name = patch.name === undefined ? b.name : requireNonEmpty('Git branch name', patch.name);
        const row = await renamed(`Git branch already exists: ${name}`, () =>
          one<BranchRow>(
            q,
            'UPDATE git_branches SET name = $2, description = $3, updated_at = $4 WHERE id = $1 RETURNING *',
            [b.id, name, patch.description ?? b.description, now()],
          ),
        );
        changes.add(b.projectId);
        return toBranch(row);
      }),
  };
}

export function projectsAndBranches(c: PgConnection): Pick<TaskStore, Methods> {
  const { pool, tx } = c;
  return {
    ...renames(c),
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
        const existing = await one<ProjectRow>(q, 'SELECT * FROM projects WHERE name = $1', [name]);
        return { project: toProject(existing as ProjectRow), created: false };
      }),
    getProject: (idOrName) => getProject(pool, idOrName),
    listProjects: async () =>
      (await all<ProjectRow>(pool, 'SELECT * FROM projects ORDER BY created_at, seq')).map(toProject),
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
        return { branch: toBranch((await branchByName(q, project.id, name)) as BranchRow), created: false };
      }),
    getBranch: (id) => getBranch(pool, id),
    findBranch: async (projectId, name) => {
      const row = await branchByName(pool, projectId, name);
      return row && toBranch(row);
    },
    listBranches: async (projectId) => {
      const project = await requireProject(pool, projectId);
      const sql = 'SELECT * FROM git_branches WHERE project_id = $1 ORDER BY created_at, seq';
      return (await all<BranchRow>(pool, sql, [project.id])).map(toBranch);
    },
    deleteBranch: (id) =>
      tx(async (q, changes) => {
        const branch = await requireBranch(q, id);
        // Its tasks lose their branch (ON DELETE SET NULL): they are written too.
        const tasks = await all<{ id: string }>(q, 'SELECT id FROM tasks WHERE git_branch_id = $1 FOR UPDATE', [id]);
        await q.query('DELETE FROM git_branches WHERE id = $1', [id]);
        changes.add(
          branch.projectId,
          tasks.map((t) => t.id),
        );
      }),
  };
}
