// The state directory's public surface: its files, its lock, the monitor's endpoint and signals, one import for a
// module that uses several; each concern stays in the file named after it. unwritable.ts, what a command says of a
// state directory it cannot write, stays out: the monitor loads this index at its start and never says it. So does
// launch.ts: the hooks keep it a lazy file of theirs, and an index that named it would compile it into them.
export * from './dir.js';
export * from './endpoint-record.js';
export * from './endpoint.js';
export * from './files.js';
export * from './handed-listener.js';
export * from './hook-token-env.js';
export * from './lock.js';
export * from './monitor-info.js';
export * from './monitor-late.js';
export * from './monitor-probe.js';
export * from './notices.js';
export * from './owner-only.js';
export * from './secrets.js';
export * from './served-post.js';
export * from './signals.js';
export * from './stop.js';
