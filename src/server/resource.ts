import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { OPEN_STATUSES } from '../tasks/task.js';
import { taskJson } from './agenthub/json.js';
import type { TaskStore } from '../store/index.js';
import { mayUseProject, outOfScopeMessage, type Principal } from './principal.js';
import { PROJECT_TASKS_TEMPLATE, projectOfUri, projectTasksUri } from './resource-uri.js';

const PENDING_URI = 'tasks://pending';
const MAX_PENDING = 100;

async function openTasksText(store: TaskStore, projectId?: string): Promise<string> {
  const { tasks, total } = await store.listTasks({
    statuses: [...OPEN_STATUSES],
    limit: MAX_PENDING,
    ...(projectId ? { projectId } : {}),
  });
  return JSON.stringify({ tasks: tasks.map(taskJson), count: tasks.length, total });
}

/**
 * `tasks://pending`: every open task, most urgent first, as the agenthub task JSON; and one resource per project,
 * `taskhooks://projects/<name>/tasks`, its open tasks, the one a client subscribes to for that project's changes.
 */
export function registerTaskResources(server: McpServer, store: TaskStore, principal: Principal): void {
  server.registerResource(
    'pending-tasks',
    PENDING_URI,
    {
      title: 'Pending tasks',
      description: `Open tasks (${OPEN_STATUSES.join(', ')}), most urgent first, at most ${MAX_PENDING}`,
      mimeType: 'application/json',
    },
    async (uri) => {
      // Every project's tasks: a token scoped to projects reads each of its own instead.
      if (principal.projects !== undefined)
        throw new Error(
          `${outOfScopeMessage(principal, PENDING_URI, false)}: read ${projectTasksUri(principal.projects[0] ?? 'NAME')}`,
        );
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: await openTasksText(store) }] };
    },
  );
  server.registerResource(
    'project-tasks',
    new ResourceTemplate(PROJECT_TASKS_TEMPLATE, {
      list: async () => ({
        resources: (await store.listProjects())
          .filter((p) => mayUseProject(principal, p.name))
          .map((p) => ({
            uri: projectTasksUri(p.name),
            name: `${p.name} tasks`,
            mimeType: 'application/json',
          })),
      }),
    }),
    {
      title: 'Tasks of a project',
      description: `Open tasks of one project, most urgent first, at most ${MAX_PENDING}; subscribe to hear of every change to its tasks`,
      mimeType: 'application/json',
    },
    async (uri) => {
      const name = projectOfUri(uri.href);
      if (name !== undefined && !mayUseProject(principal, name))
        throw new Error(outOfScopeMessage(principal, uri.href, true));
      const project = name === undefined ? undefined : await store.getProject(name);
      if (!project) throw new Error(`Unknown project in ${uri.href}: list projects with manage_project list`);
      return {
        contents: [{ uri: uri.href, mimeType: 'application/json', text: await openTasksText(store, project.id) }],
      };
    },
  );
}
