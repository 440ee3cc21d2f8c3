// The PostgreSQL engine of the TaskStore: a team's shared database that any number of server processes use at once.
// One module per concern, as the SQLite engine has: the connection and change feed, projects and branches, tasks,
// task queries, ids, export and import.
import { TaskDbError } from '../errors.js';
import type { TaskStore } from '../store.js';
import { openPgConnection, type PostgresStoreOptions } from './connection.js';
import { idsAndReservations } from './ids.js';
import { projectsAndBranches } from './projects.js';
import { isConnectionLoss } from './query.js';
import { postgresRequests } from './requests.js';
import { sequenceQueries } from './sequence.js';
import { taskQueries } from './task-queries.js';
import { tasksAndDependencies } from './tasks.js';
import { takeDependencyDoubts } from './doubts.js';
import { transfer } from './transfer.js';
import { workRecordQueries } from './work-records.js';

export { CHANGE_CHANNEL, type PostgresStoreOptions } from './connection.js';

/** Whether a store location names a PostgreSQL database rather than a SQLite file. */
export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location);

/** A call's loss of its connection, as the caller can act on it: nothing to fix here, a retry. */
function unreachable(err: unknown, where: string): TaskDbError {
  const why = err instanceof Error ? err.message : String(err);
  return new TaskDbError(
    'UNAVAILABLE',
    `The task store's database at ${where} could not be reached (${why}): the call did not complete; retry it (a write with the same request_id lands once)`,
  );
}

/** Each operation with a lost connection answered as UNAVAILABLE, a retryable refusal, rather than the driver's error. */
function retryable<T extends object>(ops: T, where: string): T {
  return Object.fromEntries(
    Object.entries(ops).map(([name, op]) => [
      name,
      async (...args: unknown[]) => {
        try {
          return await (op as (...a: unknown[]) => Promise<unknown>)(...args);
        } catch (err) {
          throw isConnectionLoss(err) ? unreachable(err, where) : err;
        }
      },
    ]),
  ) as T;
}

/** Opens the PostgreSQL store: the pool, the schema migrated, and the LISTEN connection of the change feed. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<TaskStore> {
  const c = await openPgConnection(options);
  const ops = retryable(
    {
      ...projectsAndBranches(c),
      ...tasksAndDependencies(c),
      ...taskQueries(c),
      ...sequenceQueries(c),
      ...idsAndReservations(c),
      ...transfer(c),
      ...postgresRequests(c),
      ...workRecordQueries(c),
    },
    options.shown?.database ?? 'the database URL',
  );
  const unsettled = await takeDependencyDoubts(c.db);
  if (unsettled) options.log?.warn(unsettled);
  return {
    engine: 'postgres',
    ...ops,
    unsettled,
    subscribeChanges: c.subscribe,
    unpushed: c.unpushed,
    close: c.close,
  };
}
