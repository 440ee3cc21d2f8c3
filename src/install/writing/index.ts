// What install writes into a project's and a user's files, as install, uninstall, the endpoint moves and doctor use
// it: one import for the folder's public surface, each part still in the file named after what it writes.
export {
  agentHooks,
  agentInputs,
  agentServer,
  localToolsServer,
  mcpJsonServer,
  refuseForeignServers,
  type AgentServer,
} from './agent-wiring.js';
export { applyPlan, moveBackupsAside, stateBackupsIn, writesIn, type AppliedChange } from './apply.js';
export { foldersMadeAbove, recordFoldersMade, removeFoldersMade } from './created-folders.js';
export { applyLocalServer, hasLocalServer, planLocalServer } from './local-tools.js';
export {
  hasTaskhooksServer,
  isStoreServerEntry,
  isTaskhooksServer,
  localMcpEntry,
  storeServerOf,
  withTaskhooksServer,
  type StoreServerTarget,
} from './mcp-json.js';
export { withSource, type SourceChoice } from './project-config.js';
export {
  handlersOf,
  hasOwnServedHooks,
  hasTaskhooksHooks,
  isTaskhooksHandler,
  withServedEndpoint,
  type HookTransport,
  type ServedEndpoint,
} from './settings.js';
export { desiredStatusLine } from './status-line.js';
export { readTomlDoc, withTomlServer } from './toml-doc.js';
export { hookTokenChange, hookTokenVar, planUserToken, withHookToken } from './user-token.js';
