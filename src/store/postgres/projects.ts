// Projects and their git branches on PostgreSQL. Creating one that exists is ON CONFLICT DO NOTHING and then a fresh
// read, so concurrent first writes to a new project all land on the one row.
import { randomUUID } from 'node:crypto';
import { noSuch } from '../errors.js';
import { branchName, branchTaken, projectName, projectTaken } from '../project-names.js';
import { now, toBranch, toProject, type BranchRow, type ProjectRow } from '../rows.js';
import type { TaskStore } from '../store.js';
import type { GitBranch, Project } from '../types.js';
import type { Changes, PgConnection } from './connection.js';
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

/** The table of projects or of branches, with how its names are checked and a name taken is refused. */
interface NamedRows {
  table: 'projects' | 'git_branches';
  named: (name: string) => string;
  taken: (name: string) => Error;
}

const PROJECTS: NamedRows = { table: 'projects', named: projectName, taken: projectTaken };
const BRANCHES: NamedRows = { table: 'git_branches', named: branchName, taken: branchTaken };

/** A rename: which rows, the record as it is (a branch names its project), and the patch. */
interface Rename {
  rows: NamedRows;
  was: { id: string; name: string; description: string; projectId?: string };
  patch: { name?: string; description?: string };
}

/**
 * Renames run as one UPDATE: its row lock and the unique index hold them against a concurrent rename. The project
 * changed is the branch's, or the project itself.
 */
async function rename<R>(q: Q, changes: Changes, { rows, was, patch }: Rename): Promise<R> {
  const name = patch.name === undefined ? was.name : rows.named(patch.name);
  const sql = `UPDATE ${rows.table} SET name = $2, description = $3, updated_at = $4 WHERE id = $1 RETURNING *`;
  try {
    const row = (await one<R>(q, sql, [was.id, name, patch.description ?? was.description, now()])) as R;
    changes.add(was.projectId ?? was.id);
    return row;
  } catch (err) {
    if (isUnique(err)) throw rows.taken(name);
    throw err;
  }
}

type ProjectMethods = 'createProject' | 'getOrCreateProject' | 'getProject' | 'listProjects' | 'updateProject';

type BranchMethods =
  | 'createBranch'
  | 'getOrCreateBranch'
  | 'getBranch'
  | 'findBranch'
  | 'listBranches'
  | 'updateBranch'
  | 'deleteBranch';

function projects({ db, tx }: PgConnection): Pick<TaskStore, ProjectMethods> {
  return {
    createProject: (input) =>
      tx(async (q, changes) => {
        const name = projectName(input.name);
        const row = await insertProject(q, name, input.description ?? '');
        if (!row) throw projectTaken(name);
        changes.add(row.id);
        return toProject(row);
      }),
    // Get-or-create: ON CONFLICT DO NOTHING waits for a concurrent insert of the name to commit, then inserts nothing;
    // the SELECT after it, a new statement, sees that committed row.
    getOrCreateProject: (input) =>
      tx(async (q, changes) => {
        const name = projectName(input.name);
        const row = await insertProject(q, name, input.description ?? '');
        if (row) {
          changes.add(row.id);
          return { project: toProject(row), created: true };
        }
        const existing = await one<ProjectRow>(q, 'SELECT * FROM projects WHERE name = $1', [name]);
        return { project: toProject(existing as ProjectRow), created: false };
      }),
    getProject: (idOrName) => getProject(db, idOrName),
    listProjects: async () =>
      (await all<ProjectRow>(db, 'SELECT * FROM projects ORDER BY created_at, seq')).map(toProject),
    updateProject: (id, patch) =>
      tx(async (q, changes) => {
        const was = await requireProject(q, id);
        return toProject(await rename<ProjectRow>(q, changes, { rows: PROJECTS, was, patch }));
      }),
  };
}

function branches({ db, tx }: PgConnection): Pick<TaskStore, BranchMethods> {
  return {
    createBranch: (input) =>
      tx(async (q, changes) => {
        const project = await requireProject(q, input.projectId);
        const name = branchName(input.name);
        const row = await insertBranch(q, project.id, name, input.description ?? '');
        if (!row) throw branchTaken(name, project.name);
        changes.add(project.id);
        return toBranch(row);
      }),
    // Get-or-create as for projects: ON CONFLICT DO NOTHING on (project_id, name), then a fresh SELECT.
    getOrCreateBranch: (input) =>
      tx(async (q, changes) => {
        const project = await requireProject(q, input.projectId);
        const name = branchName(input.name);
        const row = await insertBranch(q, project.id, name, input.description ?? '');
        if (row) {
          changes.add(project.id);
          return { branch: toBranch(row), created: true };
        }
        return { branch: toBranch((await branchByName(q, project.id, name)) as BranchRow), created: false };
      }),
    getBranch: (id) => getBranch(db, id),
    findBranch: async (projectId, name) => {
      const row = await branchByName(db, projectId, name);
      return row && toBranch(row);
    },
    listBranches: async (projectId) => {
      const project = await requireProject(db, projectId);
      const sql = 'SELECT * FROM git_branches WHERE project_id = $1 ORDER BY created_at, seq';
      return (await all<BranchRow>(db, sql, [project.id])).map(toBranch);
    },
    updateBranch: (id, patch) =>
      tx(async (q, changes) => {
        const was = await requireBranch(q, id);
        return toBranch(await rename<BranchRow>(q, changes, { rows: BRANCHES, was, patch }));
      }),
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

export function projectsAndBranches(c: PgConnection): Pick<TaskStore, ProjectMethods | BranchMethods> {
  return { ...projects(c), ...branches(c) };
}
