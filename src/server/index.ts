// The reference MCP task server: the embedded default, what Claude Code can use to read and update tasks,
// and the peer of every client test.
export { openTaskDb, formatArtifactId } from './db.js';
export type { TaskDb, Project, GitBranch, TaskRecord, NewTask, TaskPatch, TaskFilter, NextResult, Reservation } from './db.js';
export { TaskDbError } from './errors.js';
export { createTaskServer } from './server.js';
export type { TaskServerOptions } from './server.js';
export { startHttpServer, isLoopbackHost } from './http.js';
export type { HttpServerOptions, RunningHttpServer } from './http.js';
export type { HttpAuthOptions } from './auth.js';
export { ensureServerToken } from './token.js';
export { serveStdio } from './stdio.js';
export type { Principal } from './principal.js';
export { LOCAL_PRINCIPAL } from './principal.js';
export { taskJson } from './agenthub-tools.js';
export { PENDING_URI } from './resource.js';
