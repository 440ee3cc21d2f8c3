// The reference server's store: its own SQLite file (tasks.db), one module per concern, one TaskDb for callers.
import { openConnection, type TaskDbOptions } from './connection.js';
import { idsAndReservations } from './ids.js';
import { projectsAndBranches } from './projects.js';
import { taskQueries } from './task-queries.js';
import { tasksAndDependencies } from './tasks.js';
import type { TaskDb } from './types.js';

export { SORT_KEYS } from './types.js';
export type { TaskDbChange } from './connection.js';
export type { GitBranch, NewTask, NextResult, Project, Reservation, SortKey, TaskDb, TaskFilter, TaskPatch, TaskRecord } from './types.js';

export function openTaskDb(file: string, options: TaskDbOptions = {}): TaskDb {
  const c = openConnection(file, options);
  return {
    file,
    db: c.db,
    ...projectsAndBranches(c),
    ...tasksAndDependencies(c),
    ...taskQueries(c),
    ...idsAndReservations(c),
    onChange: c.onChange,
    close: c.close,
  };
}
