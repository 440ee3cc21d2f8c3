import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Logger } from '../log/logger.js';
import { registerAgenthubTools } from './agenthub-tools.js';
import type { TaskStore } from './db/index.js';
import { LOCAL_PRINCIPAL, type Principal } from './principal.js';
import { registerPendingResource } from './resource.js';
import { registerTrackerTools } from './tracker-tools.js';
import { packageVersion } from '../util/package.js';

export interface TaskServerOptions {
  store: TaskStore;
  log: Logger;
  /** Who calls through this server instance; stdio and in-process callers are local and may call everything. */
  principal?: Principal;
}

/** One MCP server with both tool families and `tasks://pending`; cheap enough to build per HTTP request. */
export function createTaskServer(opts: TaskServerOptions): McpServer {
  const server = new McpServer({ name: 'taskhooks-reference', version: packageVersion() }, { capabilities: { tools: {}, resources: {} } });
  const ctx = { store: opts.store, log: opts.log, principal: opts.principal ?? LOCAL_PRINCIPAL };
  registerAgenthubTools(server, ctx);
  registerTrackerTools(server, ctx);
  registerPendingResource(server, opts.store);
  return server;
}
