// The MCP task server over a task store: the embedded store (the monitor's store server, `taskhooks mcp`), a team's
// `taskhooks serve`, what Claude Code can use to read and update tasks, and the peer of every client test.
export { listBackups, openTaskDb, pruneBackups, restoreStore, sqliteStore, storeFileOptions } from '../store/index.js';
export type { ImportReport, TaskDb, TaskStore, Unpushed } from '../store/index.js';
export { parseExport } from '../store/transfer-schema.js';
export { isPostgresUrl, openPostgresStore, type PostgresStoreOptions } from '../store/postgres/store.js';
export { createTaskServer } from './server.js';
export { startHttpServer } from './http.js';
export { isLoopbackHost } from '../util/local-request.js';
export { DEFAULT_AUDIENCE, MIN_TOKEN_LENGTH, type HttpAuthOptions, type ServerToken } from './auth.js';
export { serveStdio } from './stdio.js';
