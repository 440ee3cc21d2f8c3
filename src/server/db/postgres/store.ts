// The PostgreSQL engine of the TaskStore: a team's shared database that any number of server processes use at once.
// One module per concern, as the SQLite engine has: the connection and change feed, projects and branches, tasks,
// task queries, ids, export and import.
import type { TaskStore } from '../store.js';
import { openPgConnection, type PostgresStoreOptions } from './connection.js';
import { idsAndReservations } from './ids.js';
import { projectsAndBranches } from './projects.js';
import { postgresLedger } from './requests.js';
import { sequenceQueries } from './sequence.js';
import { taskQueries } from './task-queries.js';
import { tasksAndDependencies } from './tasks.js';
import { transfer } from './transfer.js';

export { CHANGE_CHANNEL, type PostgresStoreOptions } from './connection.js';

/** Whether a store location names a PostgreSQL database rather than a SQLite file. */
export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location);

/** Opens the PostgreSQL store: the pool, the schema migrated, and the LISTEN connection of the change feed. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<TaskStore> {
  const c = await openPgConnection(options);
  return {
    engine: 'postgres',
    ...projectsAndBranches(c),
    ...tasksAndDependencies(c),
    ...taskQueries(c),
    ...sequenceQueries(c),
    ...idsAndReservations(c),
    ...transfer(c),
    ...postgresLedger(c.pool),
    subscribeChanges: c.subscribe,
    unpushed: c.unpushed,
    close: c.close,
  };
}
