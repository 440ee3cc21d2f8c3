// The monitor's upkeep as the parts that start it see it: its memory kept in bounds, the cache pruned, the store
// backed up, SQLite's waits, its compiled code kept; each in the file named after it.
export { createMemoryKeeper, memoryMiB, mib, type MemoryKeeper, type MemoryMiB } from './memory.js';
export { pruneIfDue } from './prune.js';
export { scheduleBackups, type BackupLoop } from './backups.js';
export { MONITOR_SQLITE, waitingOnce } from './sqlite-waits.js';
export { keepCompiledCode } from './compiled-code.js';
