import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { OPEN_STATUSES } from '../tasks/task.js';
import { taskJson } from './agenthub/json.js';
import type { TaskStore } from './db/index.js';

const PENDING_URI = 'tasks://pending';
const MAX_PENDING = 100;

/** `tasks://pending`: every open task, most urgent first, as the agenthub task JSON. */
export function registerPendingResource(server: McpServer, store: TaskStore): void {
  server.registerResource(
    'pending-tasks',
    PENDING_URI,
    { title: 'Pending tasks', description: `Open tasks (${OPEN_STATUSES.join(', ')}), most urgent first, at most ${MAX_PENDING}`, mimeType: 'application/json' },
    async (uri) => {
      const { tasks, total } = await store.listTasks({ statuses: [...OPEN_STATUSES], limit: MAX_PENDING });
      const text = JSON.stringify({ tasks: tasks.map(taskJson), count: tasks.length, total });
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text }] };
    },
  );
}
