// The reference MCP task server: the embedded default, what Claude Code can use to read and update tasks,
// and the peer of every client test.
export { openTaskDb } from './db/index.js';
export type { TaskDb } from './db/index.js';
export { createTaskServer } from './server.js';
export { startHttpServer, isLoopbackHost } from './http.js';
export { DEFAULT_AUDIENCE, MIN_TOKEN_LENGTH, type HttpAuthOptions, type ServerToken } from './auth.js';
export { serveStdio } from './stdio.js';
