// The shared SQLite cache's public surface: what the hooks, the monitor and the commands read and write, one import
// for a module that uses several of its tables; each table's code stays in the file named after it. The status line's
// copy (copy.ts) and the token table (tokens.ts) stay out: the monitor loads this index at its start and uses neither.
export * from './alerts.js';
export * from './breakers.js';
export * from './cache.js';
export * from './etags.js';
export * from './event-leases.js';
export * from './git-state.js';
export * from './kv.js';
export * from './leases.js';
export * from './live-sessions.js';
export * from './metrics.js';
export * from './migrations.js';
export * from './news-generation.js';
export * from './prune.js';
export * from './registered-projects.js';
export * from './server-claims.js';
export * from './snapshot-status.js';
export * from './snapshots.js';
export * from './task-writes.js';
