import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Logger } from '../log/logger.js';
import { schemaChecksOfOurOwn } from '../util/json-schema.js';
import { packageVersion } from '../util/package.js';
import type { TaskStore } from './db/index.js';
import { registerHookTool, type HookToolOptions } from './hook-tool.js';

/**
 * Serves over stdin/stdout for a project's `.mcp.json` or a plugin's manifest: the task store's tools when given one,
 * the hook tool when given one. stdout is the MCP stream, so every diagnostic goes to the log file. Resolves when the
 * client closes the stream.
 */
export async function serveStdio(opts: { store?: TaskStore; hookTool?: HookToolOptions; log: Logger }): Promise<void> {
  // The store's tools (and their modules) only for a server that serves a store.
  const server = opts.store
    ? (await import('./server.js')).createTaskServer({ store: opts.store, log: opts.log })
    : new McpServer(
        { name: 'taskhooks', version: packageVersion() },
        { capabilities: { tools: {} }, jsonSchemaValidator: schemaChecksOfOurOwn },
      );
  if (opts.hookTool) registerHookTool(server, opts.hookTool);
  const transport = new StdioServerTransport();
  await server.connect(transport);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  opts.log.info({ store: opts.store !== undefined, hooks: opts.hookTool !== undefined }, 'stdio server started');
  await closed;
  await server.close();
}
