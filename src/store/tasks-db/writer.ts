// tasks.db opened for a command's own few writes (`taskhooks tasks add|start|done|edit|note`): the full open's checks,
// migrations, recovery and change tracking (index.ts), without what only a served or transferred store needs (export
// and import, whose schemas are full zod; backups; the request ledger), so a write starts as light as a read.
import { foldLargeWal } from '../../sqlite/index.js';
import { openConnection, type TaskDbOptions } from '../connection.js';
import { projectsAndBranches } from '../projects.js';
import { taskQueries } from '../task-queries.js';
import { tasksAndDependencies } from '../tasks.js';
import type { TaskDb } from '../types.js';
import { workRecords } from '../work-records.js';

export type StoreWrites = Pick<
  TaskDb,
  | 'file'
  | 'recovered'
  | 'listProjects'
  | 'getProject'
  | 'getOrCreateProject'
  | 'listBranches'
  | 'getBranch'
  | 'findBranch'
  | 'getOrCreateBranch'
  | 'getTask'
  | 'listNotes'
  | 'listTasks'
  | 'nextTask'
  | 'createTask'
  | 'updateTask'
  | 'setStatus'
  | 'deleteTask'
  | 'addNote'
  | 'claimTask'
  | 'releaseTask'
  | 'addWorkRecord'
  | 'listWorkRecords'
  | 'forgetWorkRecords'
  | 'recentWorkRecords'
  | 'onChange'
  | 'close'
> & {
  /**
   * Instead of `close`, when the process ends with the store open (src/cli/process-end.ts): a write-ahead log grown
   * past its bound is folded into the file (src/sqlite/wal.ts). Returns whether it was.
   */
  leave(): boolean;
};

type Operations = Omit<StoreWrites, 'file' | 'recovered' | 'onChange' | 'close' | 'leave'>;

export function openStoreWrites(file: string, options: TaskDbOptions = {}): StoreWrites {
  const c = openConnection(file, options);
  const p = projectsAndBranches(c);
  const t = tasksAndDependencies(c);
  const q = taskQueries(c);
  const w = workRecords(c);
  const ops: Operations = {
    listProjects: p.listProjects,
    getProject: p.getProject,
    getOrCreateProject: p.getOrCreateProject,
    listBranches: p.listBranches,
    getBranch: p.getBranch,
    findBranch: p.findBranch,
    getOrCreateBranch: p.getOrCreateBranch,
    getTask: t.getTask,
    listNotes: t.listNotes,
    createTask: t.createTask,
    updateTask: t.updateTask,
    setStatus: t.setStatus,
    deleteTask: t.deleteTask,
    addNote: t.addNote,
    claimTask: t.claimTask,
    releaseTask: t.releaseTask,
    listTasks: q.listTasks,
    nextTask: q.nextTask,
    addWorkRecord: w.addWorkRecord,
    listWorkRecords: w.listWorkRecords,
    forgetWorkRecords: w.forgetWorkRecords,
    recentWorkRecords: w.recentWorkRecords,
  };
  // Every operation through the connection's guard, as the full open's: a store replaced or damaged meanwhile is
  // reopened (and restored) first.
  const guarded = Object.fromEntries(
    Object.entries(ops).map(([name, op]) => [name, c.guard(op as (...args: unknown[]) => unknown)]),
  ) as unknown as Operations;
  return {
    file,
    get recovered() {
      return c.recovered;
    },
    ...guarded,
    onChange: c.onChange,
    close: c.close,
    leave: () => foldLargeWal(c.db, file),
  };
}
