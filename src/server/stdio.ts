import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Logger } from '../log/logger.js';
import type { TaskStore } from './db/index.js';
import { createTaskServer } from './server.js';

/**
 * Serves the task store over stdin/stdout for a project's `.mcp.json`; stdout is the MCP stream, so every
 * diagnostic goes to the log file. Resolves when the client closes the stream.
 */
export async function serveStdio(opts: { store: TaskStore; log: Logger }): Promise<void> {
  const server = createTaskServer({ store: opts.store, log: opts.log });
  const transport = new StdioServerTransport();
  await server.connect(transport);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  opts.log.info('stdio task server started');
  await closed;
  await server.close();
}
