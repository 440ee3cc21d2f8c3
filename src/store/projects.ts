// Projects and their git branches: a scope's project becomes a project, its branch a git branch.
import { randomUUID } from '../util/crypto.js';
import { noSuch } from './errors.js';
import type { Connection } from './connection.js';
import { branchName, branchTaken, projectName, projectTaken } from './project-names.js';
import { renameRepositoriesProject } from './repositories.js';
import { now, toBranch, toProject, type BranchRow, type ProjectRow } from './rows.js';
import type { GitBranch, Project, TaskDb } from './types.js';

function projectByName(c: Connection, name: string): ProjectRow | undefined {
  return c.statement('SELECT * FROM projects WHERE name = ?').get(name) as ProjectRow | undefined;
}

function branchByName(c: Connection, projectId: string, name: string): BranchRow | undefined {
  return c.statement('SELECT * FROM git_branches WHERE project_id = ? AND name = ?').get(projectId, name) as
    | BranchRow
    | undefined;
}

export function getProject(c: Connection, idOrName: string): Project | undefined {
  const row =
    (c.statement('SELECT * FROM projects WHERE id = ?').get(idOrName) as ProjectRow | undefined) ??
    projectByName(c, idOrName);
  return row && toProject(row);
}

export function requireProject(c: Connection, id: string): Project {
  const project = getProject(c, id);
  if (!project) throw noSuch('Project', id);
  return project;
}

export function getBranch(c: Connection, id: string): GitBranch | undefined {
  const row = c.statement('SELECT * FROM git_branches WHERE id = ?').get(id) as BranchRow | undefined;
  return row && toBranch(row);
}

export function requireBranch(c: Connection, id: string): GitBranch {
  const branch = getBranch(c, id);
  if (!branch) throw noSuch('Git branch', id);
  return branch;
}

function insertProject(c: Connection, name: string, description: string): Project {
  const at = now();
  const id = randomUUID();
  c.statement('INSERT INTO projects (id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(
    id,
    projectName(name),
    description,
    at,
    at,
  );
  c.changed(id);
  return requireProject(c, id);
}

function insertBranch(c: Connection, projectId: string, name: string, description: string): GitBranch {
  const at = now();
  const id = randomUUID();
  c.statement(
    'INSERT INTO git_branches (id, project_id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(id, projectId, branchName(name), description, at, at);
  c.changed(projectId);
  return requireBranch(c, id);
}

// Get-or-create holds because the lookup and the insert share one BEGIN IMMEDIATE write: SQLite admits one writer
// at a time, across connections and processes, so no other create can slip between them.
function getOrCreateProject(c: Connection, name: string, description: string): { project: Project; created: boolean } {
  return c.write(() => {
    const row = projectByName(c, projectName(name));
    return row
      ? { project: toProject(row), created: false }
      : { project: insertProject(c, name, description), created: true };
  });
}

function getOrCreateBranch(
  c: Connection,
  projectId: string,
  name: string,
  description: string,
): { branch: GitBranch; created: boolean } {
  return c.write(() => {
    const project = requireProject(c, projectId);
    const row = branchByName(c, project.id, branchName(name));
    return row
      ? { branch: toBranch(row), created: false }
      : { branch: insertBranch(c, project.id, name, description), created: true };
  });
}

type ProjectMethods =
  | 'createProject'
  | 'getProject'
  | 'ensureProject'
  | 'getOrCreateProject'
  | 'listProjects'
  | 'updateProject';

type BranchMethods =
  | 'createBranch'
  | 'getBranch'
  | 'findBranch'
  | 'ensureBranch'
  | 'getOrCreateBranch'
  | 'listBranches'
  | 'updateBranch'
  | 'deleteBranch';

function projects(c: Connection): Pick<TaskDb, ProjectMethods> {
  return {
    createProject: (input) =>
      c.write(() => {
        const name = projectName(input.name);
        if (projectByName(c, name)) throw projectTaken(name);
        return insertProject(c, name, input.description ?? '');
      }),
    getProject: (idOrName) => getProject(c, idOrName),
    ensureProject: (name) => c.write(() => getProject(c, name) ?? insertProject(c, name, '')),
    getOrCreateProject: (input) => getOrCreateProject(c, input.name, input.description ?? ''),
    listProjects: () =>
      (c.statement('SELECT * FROM projects ORDER BY created_at, rowid').all() as ProjectRow[]).map(toProject),
    updateProject: (id, patch) =>
      c.write(() => {
        const p = requireProject(c, id);
        const name = patch.name === undefined ? p.name : projectName(patch.name);
        const other = getProject(c, name);
        if (other && other.id !== p.id) throw projectTaken(name);
        c.changed(p.id);
        describeRow(c, 'projects', p.id, name, patch.description ?? p.description);
        renameRepositoriesProject(c, p.name, name);
        c.changed(p.id); // again, under its new name: followers of either name hear of it
        return requireProject(c, p.id);
      }),
  };
}

/** A project's or a branch's new name and description, stamped with the time. */
function describeRow(c: Connection, table: 'projects' | 'git_branches', id: string, name: string, description: string) {
  c.statement(`UPDATE ${table} SET name = ?, description = ?, updated_at = ? WHERE id = ?`).run(
    name,
    description,
    now(),
    id,
  );
}

function branches(c: Connection): Pick<TaskDb, BranchMethods> {
  return {
    createBranch: (input) =>
      c.write(() => {
        const project = requireProject(c, input.projectId);
        const name = branchName(input.name);
        if (branchByName(c, project.id, name)) throw branchTaken(name, project.name);
        return insertBranch(c, project.id, name, input.description ?? '');
      }),
    getBranch: (id) => getBranch(c, id),
    findBranch: (projectId, name) => {
      const row = branchByName(c, projectId, name);
      return row && toBranch(row);
    },
    ensureBranch: (projectId, name) => getOrCreateBranch(c, projectId, name, '').branch,
    getOrCreateBranch: (input) => getOrCreateBranch(c, input.projectId, input.name, input.description ?? ''),
    listBranches: (projectId) =>
      (
        c
          .statement('SELECT * FROM git_branches WHERE project_id = ? ORDER BY created_at, rowid')
          .all(requireProject(c, projectId).id) as BranchRow[]
      ).map(toBranch),
    updateBranch: (id, patch) =>
      c.write(() => {
        const b = requireBranch(c, id);
        const name = patch.name === undefined ? b.name : branchName(patch.name);
        const other = branchByName(c, b.projectId, name);
        if (other && other.id !== b.id) throw branchTaken(name);
        c.changed(b.projectId);
        describeRow(c, 'git_branches', b.id, name, patch.description ?? b.description);
        return requireBranch(c, b.id);
      }),
    deleteBranch: (id) =>
      c.write(() => {
        // Its tasks lose their branch (ON DELETE SET NULL): they are written too.
        const tasks = c.statement('SELECT id FROM tasks WHERE git_branch_id = ?').all(id) as { id: string }[];
        c.changed(
          requireBranch(c, id).projectId,
          tasks.map((t) => t.id),
        );
        c.statement('DELETE FROM git_branches WHERE id = ?').run(id);
      }),
  };
}

export function projectsAndBranches(c: Connection): Pick<TaskDb, ProjectMethods | BranchMethods> {
  return { ...projects(c), ...branches(c) };
}
