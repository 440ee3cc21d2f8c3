// The agenthub/dhafnck-compatible tools: manage_task, manage_git_branch, manage_project, with that server's
// parameter names and answer envelope, so hooks written for it work unchanged.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  BRANCH_ACTIONS,
  PROJECT_ACTIONS,
  TASK_ACTIONS,
  manageBranchShape,
  manageProjectShape,
  manageTaskShape,
  type BranchArgs,
  type ProjectArgs,
  type TaskArgs,
} from '../agenthub/args.js';
import { manageGitBranch, manageProject } from '../agenthub/project-actions.js';
import { manageTask } from '../agenthub/task-actions.js';
import { guarded, type ToolContext, type ToolFamily } from '../calls.js';
import { failure } from '../envelope.js';
import { TaskDbError } from '../../store/errors.js';

const family: ToolFamily = {
  denied: (operation, message) => failure(operation, 'PERMISSION_DENIED', message, true),
  failed: (operation, err, log) => {
    if (err instanceof TaskDbError) return failure(operation, err.code, err.message);
    if ((err as { code?: unknown }).code === 'SQLITE_BUSY')
      return failure(operation, 'BUSY', `The task store is busy with other writers; try again (${operation})`);
    log.error({ err, operation }, 'tool failed unexpectedly');
    return failure(
      operation,
      'INTERNAL_ERROR',
      `Internal error in ${operation}: ${err instanceof Error ? err.message : String(err)}`,
    );
  },
};

export function registerAgenthubTools(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'manage_task',
    {
      description: `Tasks: ${TASK_ACTIONS.join(', ')}. Answers a JSON envelope {status, success, operation, data}.`,
      inputSchema: manageTaskShape,
    },
    guarded(ctx, family, 'manage_task', (a: TaskArgs) => manageTask(ctx, a)),
  );
  server.registerTool(
    'manage_git_branch',
    {
      description: `Git branches of a project: ${BRANCH_ACTIONS.join(', ')} (project_id required).`,
      inputSchema: manageBranchShape,
    },
    guarded(ctx, family, 'manage_git_branch', (a: BranchArgs) => manageGitBranch(ctx, a)),
  );
  server.registerTool(
    'manage_project',
    { description: `Projects: ${PROJECT_ACTIONS.join(', ')}.`, inputSchema: manageProjectShape },
    guarded(ctx, family, 'manage_project', (a: ProjectArgs) => manageProject(ctx, a)),
  );
}
