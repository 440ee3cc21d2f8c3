// The reference server's store: its own SQLite file (tasks.db), one module per concern, one TaskDb for callers. Every
// operation goes through the connection's guard: a store replaced or damaged under a long-lived process (the monitor,
// a session's stdio server) is reopened, and restored from a backup, before the operation runs.
import { takeBackup } from './tasks-db/backups.js';
import { openConnection, withOpenFile, type Connection, type TaskDbOptions } from './connection.js';
import { idsAndReservations } from './ids.js';
import { projectsAndBranches } from './projects.js';
import { repositoryProjects } from './repositories.js';
import { requestLedger } from './requests.js';
import { sequenceQueries, taskQueries } from './task-queries.js';
import { tasksAndDependencies } from './tasks.js';
import { exportStore, importStore } from './transfer.js';
import { workRecords } from './work-records.js';
import type { TaskDb } from './types.js';

export { SORT_KEYS } from './types.js';
export type {
  ClaimRequest,
  GitBranch,
  ImportReport,
  ListingScope,
  NewTask,
  Project,
  ScopeNames,
  SortKey,
  TaskDb,
  TaskDelta,
  TaskFilter,
  TaskKey,
  TaskNote,
  TaskPatch,
  TaskRecord,
  TaskRef,
} from './types.js';
export {
  STORE_OPERATIONS,
  sqliteStore,
  type StoreChange,
  type StoreEngine,
  type TaskStore,
  type Unpushed,
} from './store.js';
export { LEASE_BOUNDS } from './tasks.js';
export type { RequestLedger, RequestRun } from './requests.js';
export type { RecordQuery, WorkCommit, WorkRecord, WorkStatusChange } from './work-records.js';
export { workFields } from './work-records.js';
export { listBackups, pruneBackups, backupGeneration, type BackupInfo, type BackupReason } from './tasks-db/backups.js';
export { readRecovery, recoveryLine, storeFileOptions } from './tasks-db/recover.js';
export { restoreStore } from './tasks-db/restore.js';
export { tellDependencyDoubts } from './dependency-origins.js';

type Operations = Omit<TaskDb, 'file' | 'db' | 'recovered' | 'onChange' | 'close'>;

function guarded(c: Connection, ops: Operations): Operations {
  return Object.fromEntries(
    Object.entries(ops).map(([name, op]) => [name, c.guard(op as (...args: unknown[]) => unknown)]),
  ) as unknown as Operations;
}

export function openTaskDb(file: string, options: TaskDbOptions = {}): TaskDb {
  const c = openConnection(file, options);
  return withOpenFile(file, c, {
    ...guarded(c, {
      ...projectsAndBranches(c),
      ...repositoryProjects(c),
      ...tasksAndDependencies(c),
      ...taskQueries(c),
      ...sequenceQueries(c),
      ...idsAndReservations(c),
      ...requestLedger(c),
      ...workRecords(c),
      generation: c.generation,
      backup: (dir, reason) => takeBackup(c.db, dir, reason),
      exportData: () => exportStore(c),
      importData: (data, importOptions) => importStore(c, data, importOptions),
    }),
    onChange: c.onChange,
    close: c.close,
  });
}
