// The agenthub/dhafnck-compatible tools: manage_task, manage_git_branch, manage_project, with that server's
// parameter names and answer envelope, so hooks written for it work unchanged.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import { TASK_PRIORITIES, TASK_STATUSES } from '../tasks/task.js';
import { guarded, type ToolContext, type ToolFamily } from './calls.js';
import { SORT_KEYS, type GitBranch, type Project, type SortKey, type TaskPatch, type TaskRecord } from './db/index.js';
import { failure, success } from './envelope.js';
import { TaskDbError, invalid, requirePriority, requireStatus } from './errors.js';

const text = z.string().optional();
const list = z.union([z.string(), z.array(z.string())]).optional();
const int = z.union([z.number(), z.string()]).optional();

const TASK_ACTIONS = ['list', 'get', 'next', 'create', 'update', 'complete', 'search', 'delete', 'add_dependency', 'remove_dependency'] as const;
const BRANCH_ACTIONS = ['list', 'get', 'create', 'update', 'delete'] as const;
const PROJECT_ACTIONS = ['list', 'get', 'create', 'update'] as const;

const manageTaskShape = {
  action: z.string().describe(`One of: ${TASK_ACTIONS.join(', ')}`),
  task_id: text,
  git_branch_id: text,
  project_id: text,
  title: text,
  description: text,
  details: text,
  status: text.describe(`${TASK_STATUSES.join(' | ')}; list accepts a comma-separated set`),
  priority: text.describe(TASK_PRIORITIES.join(' | ')),
  assignees: list,
  labels: list,
  dependencies: list,
  dependency_id: text,
  estimated_effort: text,
  due_date: text,
  limit: int.describe('1..100, default 50'),
  offset: int,
  query: text,
  sort_by: text.describe(SORT_KEYS.join(' | ')),
  sort_order: text.describe('asc | desc'),
  completion_summary: text,
  testing_notes: text,
  include_context: z.union([z.boolean(), z.string()]).optional(),
};

const manageBranchShape = {
  action: z.string().describe(`One of: ${BRANCH_ACTIONS.join(', ')}`),
  project_id: text.describe('Required for every action'),
  git_branch_id: text,
  git_branch_name: text,
  git_branch_description: text,
};

const manageProjectShape = {
  action: z.string().describe(`One of: ${PROJECT_ACTIONS.join(', ')}`),
  project_id: text,
  name: text,
  description: text,
};

type TaskArgs = z.infer<z.ZodObject<typeof manageTaskShape>>;
type BranchArgs = z.infer<z.ZodObject<typeof manageBranchShape>>;
type ProjectArgs = z.infer<z.ZodObject<typeof manageProjectShape>>;

export function taskJson(t: TaskRecord): Record<string, unknown> {
  return {
    id: t.id,
    title: t.title,
    description: t.description,
    project_id: t.projectId,
    git_branch_id: t.gitBranchId,
    status: t.status,
    priority: t.priority,
    details: t.details,
    estimatedEffort: t.estimatedEffort,
    assignees: t.assignees,
    labels: t.labels,
    dependencies: t.dependencies,
    subtasks: [],
    dueDate: t.dueDate,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    completed_at: t.completedAt,
    completion_summary: t.completionSummary,
    context_id: null,
    progress_percentage: t.status === 'done' ? 100 : 0,
  };
}

const branchJson = (b: GitBranch): Record<string, unknown> => ({
  id: b.id,
  project_id: b.projectId,
  name: b.name,
  description: b.description,
  created_at: b.createdAt,
  updated_at: b.updatedAt,
});

const projectJson = (p: Project): Record<string, unknown> => ({
  id: p.id,
  name: p.name,
  description: p.description,
  created_at: p.createdAt,
  updated_at: p.updatedAt,
});

const family: ToolFamily = {
  denied: (operation, message) => failure(operation, 'PERMISSION_DENIED', message, true),
  failed: (operation, err, log) => {
    if (err instanceof TaskDbError) return failure(operation, err.code, err.message);
    log.error({ err, operation }, 'tool failed unexpectedly');
    return failure(operation, 'INTERNAL_ERROR', `Internal error in ${operation}: ${err instanceof Error ? err.message : String(err)}`);
  },
};

/** agenthub takes lists either as arrays or as comma-separated strings. */
function toList(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const items = Array.isArray(v) ? v : v.split(',');
  return items.map((s) => s.trim()).filter(Boolean);
}

function require_(value: string | undefined, name: string, action: string): string {
  if (value === undefined || value.trim() === '') throw invalid(`Missing required field: ${name} (required for action "${action}")`);
  return value.trim();
}

function toInt(v: number | string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (v === undefined || v === '') return fallback;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw invalid(`Invalid ${name}: ${String(v)}. Allowed values: ${min}..${max}`);
  return n;
}

function unknownAction(action: string, allowed: readonly string[]): TaskDbError {
  return invalid(`Unknown action: '${action}'. Allowed values: ${allowed.join(', ')}`);
}

function taskPatch(a: TaskArgs): TaskPatch {
  const patch: TaskPatch = {};
  if (a.title !== undefined) patch.title = a.title;
  if (a.description !== undefined) patch.description = a.description;
  if (a.details !== undefined) patch.details = a.details;
  if (a.status !== undefined) patch.status = requireStatus(a.status);
  if (a.priority !== undefined) patch.priority = requirePriority(a.priority);
  if (a.assignees !== undefined) patch.assignees = toList(a.assignees);
  if (a.labels !== undefined) patch.labels = toList(a.labels);
  if (a.dependencies !== undefined) patch.dependencies = toList(a.dependencies);
  if (a.estimated_effort !== undefined) patch.estimatedEffort = a.estimated_effort;
  if (a.due_date !== undefined) patch.dueDate = a.due_date;
  return patch;
}

/** A branch id narrows to the branch; a project id or name to the project. */
function scopeOf(ctx: ToolContext, a: { git_branch_id?: string | undefined; project_id?: string | undefined }): { projectId?: string; gitBranchId?: string } {
  if (a.git_branch_id) {
    const branch = ctx.db.getBranch(a.git_branch_id);
    if (!branch) throw new TaskDbError('NOT_FOUND', `Git branch not found: ${a.git_branch_id}`);
    return { gitBranchId: branch.id };
  }
  if (a.project_id) {
    const project = ctx.db.getProject(a.project_id);
    if (!project) throw new TaskDbError('NOT_FOUND', `Project not found: ${a.project_id}`);
    return { projectId: project.id };
  }
  return {};
}

function manageTask(ctx: ToolContext, a: TaskArgs): CallToolResult {
  const { db } = ctx;
  const op = a.action;
  switch (a.action) {
    case 'create': {
      const title = require_(a.title, 'title', op);
      let projectId: string;
      let gitBranchId: string | null = null;
      if (a.git_branch_id) {
        const branch = db.getBranch(a.git_branch_id);
        if (!branch) throw new TaskDbError('NOT_FOUND', `Git branch not found: ${a.git_branch_id}`);
        projectId = branch.projectId;
        gitBranchId = branch.id;
      } else {
        const project = db.getProject(require_(a.project_id, 'git_branch_id', op));
        if (!project) throw new TaskDbError('NOT_FOUND', `Project not found: ${a.project_id}`);
        projectId = project.id;
      }
      const task = db.createTask({ ...taskPatch(a), projectId, gitBranchId, title });
      return success(op, { task: taskJson(task), message: `Task ${task.id} created` });
    }
    case 'get': {
      const id = require_(a.task_id, 'task_id', op);
      const task = db.getTask(id);
      if (!task) throw new TaskDbError('NOT_FOUND', `Task not found: ${id}`);
      return success(op, { task: taskJson(task) });
    }
    case 'update': {
      const id = require_(a.task_id, 'task_id', op);
      const task = db.updateTask(id, taskPatch(a));
      return success(op, { task: taskJson(task), message: `Task ${id} updated` });
    }
    case 'complete': {
      const id = require_(a.task_id, 'task_id', op);
      const summary = [a.completion_summary, a.testing_notes && `Testing: ${a.testing_notes}`].filter(Boolean).join('\n');
      const task = db.setStatus(id, 'done', summary || undefined);
      return success(op, { task: taskJson(task), message: `Task ${id} completed` });
    }
    case 'delete': {
      const id = require_(a.task_id, 'task_id', op);
      db.deleteTask(id);
      return success(op, { task_id: id, deleted: true, message: `Task ${id} deleted` });
    }
    case 'list':
    case 'search': {
      const query = a.action === 'search' ? require_(a.query, 'query', op) : a.query;
      const sortBy = a.sort_by;
      if (sortBy !== undefined && !(SORT_KEYS as readonly string[]).includes(sortBy))
        throw invalid(`Invalid sort_by: '${sortBy}'. Allowed values: ${SORT_KEYS.join(', ')}`);
      if (a.sort_order !== undefined && a.sort_order !== 'asc' && a.sort_order !== 'desc')
        throw invalid(`Invalid sort_order: '${a.sort_order}'. Allowed values: asc, desc`);
      const limit = toInt(a.limit, 'limit', 1, 100, 50);
      const offset = toInt(a.offset, 'offset', 0, Number.MAX_SAFE_INTEGER, 0);
      const { tasks, total } = db.listTasks({
        ...scopeOf(ctx, a),
        statuses: toList(a.status)?.map(requireStatus),
        priorities: toList(a.priority)?.map(requirePriority),
        assignees: toList(a.assignees),
        labels: toList(a.labels),
        query,
        limit,
        offset,
        sortBy: sortBy as SortKey | undefined,
        sortOrder: a.sort_order as 'asc' | 'desc' | undefined,
      });
      return success(op, {
        tasks: tasks.map(taskJson),
        count: tasks.length,
        total,
        pagination: { limit, offset, has_more: offset + tasks.length < total },
        ...(query !== undefined ? { query } : {}),
      });
    }
    case 'next': {
      const { task, waitingOnDependencies } = db.nextTask(scopeOf(ctx, a));
      const message = task
        ? `Next task: ${task.title}`
        : waitingOnDependencies > 0
          ? `No actionable task: ${waitingOnDependencies} open task(s) wait on unfinished dependencies`
          : 'No actionable tasks found';
      return success(op, { task: { has_next: task !== null, next_item: task && taskJson(task), context: null, message } });
    }
    case 'add_dependency':
    case 'remove_dependency': {
      const id = require_(a.task_id, 'task_id', op);
      const dep = require_(a.dependency_id, 'dependency_id', op);
      const task = a.action === 'add_dependency' ? db.addDependency(id, dep) : db.removeDependency(id, dep);
      return success(op, { task: taskJson(task) });
    }
    default:
      throw unknownAction(a.action, TASK_ACTIONS);
  }
}

function manageGitBranch(ctx: ToolContext, a: BranchArgs): CallToolResult {
  const { db } = ctx;
  const op = a.action;
  if (!(BRANCH_ACTIONS as readonly string[]).includes(op)) throw unknownAction(op, BRANCH_ACTIONS);
  const projectRef = require_(a.project_id, 'project_id', op);
  const project = db.getProject(projectRef);
  if (!project) throw new TaskDbError('NOT_FOUND', `Project not found: ${projectRef}`);
  const branchOf = (): GitBranch => {
    const branch = a.git_branch_id
      ? db.getBranch(a.git_branch_id)
      : db.findBranch(project.id, require_(a.git_branch_name, 'git_branch_id', op));
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
        name: require_(a.git_branch_name, 'git_branch_name', op),
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

function manageProject(ctx: ToolContext, a: ProjectArgs): CallToolResult {
  const { db } = ctx;
  const op = a.action;
  const projectOf = (): Project => {
    const ref = a.project_id ?? require_(a.name, 'project_id', op);
    const project = db.getProject(ref);
    if (!project) throw new TaskDbError('NOT_FOUND', `Project not found: ${ref}`);
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
      const project = db.createProject({ name: require_(a.name, 'name', op), description: a.description ?? '' });
      return success(op, { project: projectJson(project), message: `Project ${project.name} created` });
    }
    case 'update': {
      const id = require_(a.project_id, 'project_id', op);
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

export const AGENTHUB_TOOLS = ['manage_task', 'manage_git_branch', 'manage_project'] as const;

export function registerAgenthubTools(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'manage_task',
    { description: `Tasks: ${TASK_ACTIONS.join(', ')}. Answers a JSON envelope {status, success, operation, data}.`, inputSchema: manageTaskShape },
    guarded(ctx, family, 'manage_task', (a: TaskArgs) => manageTask(ctx, a)),
  );
  server.registerTool(
    'manage_git_branch',
    { description: `Git branches of a project: ${BRANCH_ACTIONS.join(', ')} (project_id required).`, inputSchema: manageBranchShape },
    guarded(ctx, family, 'manage_git_branch', (a: BranchArgs) => manageGitBranch(ctx, a)),
  );
  server.registerTool(
    'manage_project',
    { description: `Projects: ${PROJECT_ACTIONS.join(', ')}.`, inputSchema: manageProjectShape },
    guarded(ctx, family, 'manage_project', (a: ProjectArgs) => manageProject(ctx, a)),
  );
}
