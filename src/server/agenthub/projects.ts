// manage_git_branch and manage_project: the agenthub protocol's branch and project actions, answered in its envelope.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolContext } from '../calls.js';
import type { GitBranch, Project } from '../db/index.js';
import { success } from '../envelope.js';
import { TaskDbError, noSuch } from '../errors.js';
import { BRANCH_ACTIONS, PROJECT_ACTIONS, requireArg, unknownAction, type BranchArgs, type ProjectArgs } from './args.js';
import { branchJson, projectJson } from './json.js';

export function manageGitBranch(ctx: ToolContext, a: BranchArgs): CallToolResult {
  const { db } = ctx;
  const op = a.action;
  if (!(BRANCH_ACTIONS as readonly string[]).includes(op)) throw unknownAction(op, BRANCH_ACTIONS);
  const projectRef = requireArg(a.project_id, 'project_id', op);
  const project = db.getProject(projectRef);
  if (!project) throw noSuch('Project', projectRef);
  const branchOf = (): GitBranch => {
    const branch = a.git_branch_id
      ? db.getBranch(a.git_branch_id)
      : db.findBranch(project.id, requireArg(a.git_branch_name, 'git_branch_id', op));
    if (!branch || branch.projectId !== project.id)
      throw new TaskDbError('NOT_FOUND', `Git branch not found: ${a.git_branch_id ?? a.git_branch_name} in project ${project.name}`);
    return branch;
  };
  switch (op) {
    case 'list': {
      const branches = db.listBranches(project.id);
      return success(op, { git_branchs: branches.map(branchJson), count: branches.length, project_id: project.id });
    }
    case 'get':
      return success(op, { git_branch: branchJson(branchOf()) });
    case 'create': {
      const branch = db.createBranch({
        projectId: project.id,
        name: requireArg(a.git_branch_name, 'git_branch_name', op),
        description: a.git_branch_description ?? '',
      });
      return success(op, { git_branch: branchJson(branch), message: `Git branch ${branch.name} created` });
    }
    case 'update': {
      const branch = db.updateBranch(branchOf().id, {
        ...(a.git_branch_name !== undefined && a.git_branch_id ? { name: a.git_branch_name } : {}),
        ...(a.git_branch_description !== undefined ? { description: a.git_branch_description } : {}),
      });
      return success(op, { git_branch: branchJson(branch) });
    }
    default: {
      const branch = branchOf();
      db.deleteBranch(branch.id);
      return success(op, { git_branch_id: branch.id, deleted: true });
    }
  }
}

export function manageProject(ctx: ToolContext, a: ProjectArgs): CallToolResult {
  const { db } = ctx;
  const op = a.action;
  const projectOf = (): Project => {
    const ref = a.project_id ?? requireArg(a.name, 'project_id', op);
    const project = db.getProject(ref);
    if (!project) throw noSuch('Project', ref);
    return project;
  };
  switch (op) {
    case 'list': {
      const projects = db.listProjects();
      return success(op, { projects: projects.map(projectJson), count: projects.length });
    }
    case 'get':
      return success(op, { project: projectJson(projectOf()) });
    case 'create': {
      const project = db.createProject({ name: requireArg(a.name, 'name', op), description: a.description ?? '' });
      return success(op, { project: projectJson(project), message: `Project ${project.name} created` });
    }
    case 'update': {
      const id = requireArg(a.project_id, 'project_id', op);
      const project = db.updateProject(id, {
        ...(a.name !== undefined ? { name: a.name } : {}),
        ...(a.description !== undefined ? { description: a.description } : {}),
      });
      return success(op, { project: projectJson(project) });
    }
    default:
      throw unknownAction(op, PROJECT_ACTIONS);
  }
}
