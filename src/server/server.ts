import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Logger } from '../log/logger.js';
import { registerAgenthubTools } from './tools/agenthub-tools.js';
import type { TaskStore } from '../store/index.js';
import { LOCAL_PRINCIPAL, type Principal } from './principal.js';
import { handleSubscriptions } from './live.js';
import { registerTaskResources } from './resource.js';
import { PUSH_OFF_CAPABILITY } from './resource-uri.js';
import { registerTrackerTools } from './tools/tracker-tools.js';
import { registerSessionTools } from './tools/session-tools.js';
import { COMPATIBILITY, type SessionPlace, type ToolFamilyName } from './tools/tool-families.js';

export { requestTools, sessionHeaders, type SessionPlace, type Tools } from './tools/tool-families.js';
import { schemaChecksOfOurOwn } from '../util/json-schema.js';
import { serverInfo } from './modern.js';

export interface TaskServerOptions {
  store: TaskStore;
  log: Logger;
  /** Who calls through this server instance; stdio and in-process callers are local and may call everything. */
  principal?: Principal;
  /**
   * A live connection's subscribed URIs: the server then offers `resources/subscribe` and records them here, unless the
   * store's change feed hears nothing (`unpushed`), which it declares instead.
   */
  subscriptions?: Set<string>;
  /** The tool families offered (tool-families.ts); default the compatibility families. */
  tools?: readonly ToolFamilyName[];
  /** Where the session this server serves works, where the server knows it: the session tools' default. */
  sessionPlace?: () => Promise<SessionPlace | undefined>;
}

/** One MCP server with the tool families asked for and the task resources; cheap enough to build per HTTP request. */
export function createTaskServer(opts: TaskServerOptions): McpServer {
  // A store whose feed hears nothing would take subscriptions and never speak: the client is told why instead.
  const unpushed = opts.subscriptions ? opts.store.unpushed : undefined;
  const subscriptions = unpushed ? undefined : opts.subscriptions;
  const capabilities = {
    tools: {},
    resources: subscriptions ? { subscribe: true } : {},
    ...(unpushed && { experimental: { [PUSH_OFF_CAPABILITY]: { off: unpushed.why, fix: unpushed.fix } } }),
  };
  const server = new McpServer(serverInfo(), { capabilities, jsonSchemaValidator: schemaChecksOfOurOwn });
  const ctx = {
    store: opts.store,
    log: opts.log,
    principal: opts.principal ?? LOCAL_PRINCIPAL,
    ...(opts.sessionPlace ? { sessionPlace: opts.sessionPlace } : {}),
  };
  const tools = opts.tools ?? COMPATIBILITY;
  if (tools.includes('session')) registerSessionTools(server, ctx);
  if (tools.includes('agenthub')) registerAgenthubTools(server, ctx);
  if (tools.includes('tracker')) registerTrackerTools(server, ctx);
  registerTaskResources(server, opts.store, ctx.principal);
  if (subscriptions) handleSubscriptions(server, ctx.principal, subscriptions);
  return server;
}
