// manage_git_branch and manage_project: the agenthub protocol's branch and project actions, answered in its envelope.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolContext } from '../calls.js';
import type { GitBranch, Project } from '../../store/index.js';
import { success } from '../envelope.js';
import { TaskDbError, noSuch } from '../../store/errors.js';
import {
  BRANCH_ACTIONS,
  PROJECT_ACTIONS,
  requireArg,
  unknownAction,
  type BranchArgs,
  type ProjectArgs,
} from './args.js';
import { branchJson, projectJson } from './json.js';
import { mayUseProject } from '../principal.js';

export async function manageGitBranch(ctx: ToolContext, a: BranchArgs): Promise<CallToolResult> {
  const { store } = ctx;
  const op = a.action;
  if (!(BRANCH_ACTIONS as readonly string[]).includes(op)) throw unknownAction(op, BRANCH_ACTIONS);
  const projectRef = requireArg(a.project_id, 'project_id', op);
  const project = await store.getProject(projectRef);
  if (!project) throw noSuch('Project', projectRef);
  const branchOf = async (): Promise<GitBranch> => {
    const branch = a.git_branch_id
      ? await store.getBranch(a.git_branch_id)
      : await store.findBranch(project.id, requireArg(a.git_branch_name, 'git_branch_id', op));
    if (!branch || branch.projectId !== project.id)
      throw new TaskDbError(
        'NOT_FOUND',
        `Git branch not found: ${a.git_branch_id ?? a.git_branch_name} in project ${project.name}`,
      );
    return branch;
  };
  switch (op) {
    case 'list': {
      const branches = await store.listBranches(project.id);
      return success(op, { git_branchs: branches.map(branchJson), count: branches.length, project_id: project.id });
    }
    case 'get':
      return success(op, { git_branch: branchJson(await branchOf()) });
    case 'create': {
      // Get-or-create: many sessions adding their first task on a branch at once all get the one branch.
      const { branch, created } = await store.getOrCreateBranch({
        projectId: project.id,
        name: requireArg(a.git_branch_name, 'git_branch_name', op),
        description: a.git_branch_description ?? '',
      });
      const message = created
        ? `Git branch ${branch.name} created`
        : `Git branch ${branch.name} already exists: answered with it`;
      return success(op, { git_branch: branchJson(branch), created, message });
    }
    case 'update': {
      const branch = await store.updateBranch((await branchOf()).id, {
        ...(a.git_branch_name !== undefined && a.git_branch_id ? { name: a.git_branch_name } : {}),
        ...(a.git_branch_description !== undefined ? { description: a.git_branch_description } : {}),
      });
      return success(op, { git_branch: branchJson(branch) });
    }
    default: {
      const branch = await branchOf();
      await store.deleteBranch(branch.id);
      return success(op, { git_branch_id: branch.id, deleted: true });
    }
  }
}

export async function manageProject(ctx: ToolContext, a: ProjectArgs): Promise<CallToolResult> {
  const { store } = ctx;
  const op = a.action;
  const projectOf = async (): Promise<Project> => {
    const ref = a.project_id ?? requireArg(a.name, 'project_id', op);
    const project = await store.getProject(ref);
    if (!project) throw noSuch('Project', ref);
    return project;
  };
  switch (op) {
    case 'list': {
      // A token scoped to projects lists its own only: the others' names are theirs.
      const projects = (await store.listProjects()).filter((p) => mayUseProject(ctx.principal, p.name));
      return success(op, { projects: projects.map(projectJson), count: projects.length });
    }
    case 'get':
      return success(op, { project: projectJson(await projectOf()) });
    case 'create': {
      // Get-or-create: the first tasks of a new project, added from many processes at once, must all land in it.
      const { project, created } = await store.getOrCreateProject({
        name: requireArg(a.name, 'name', op),
        description: a.description ?? '',
      });
      const message = created
        ? `Project ${project.name} created`
        : `Project ${project.name} already exists: answered with it`;
      return success(op, { project: projectJson(project), created, message });
    }
    case 'update': {
      const id = requireArg(a.project_id, 'project_id', op);
      const project = await store.updateProject(id, {
        ...(a.name !== undefined ? { name: a.name } : {}),
        ...(a.description !== undefined ? { description: a.description } : {}),
      });
      return success(op, { project: projectJson(project) });
    }
    default:
      throw unknownAction(op, PROJECT_ACTIONS);
  }
}
