// The task source one command acts through (a CLI command): the cache opened beside it, one request id for its writes,
// and a source's failure turned into the one line the person can act on. Loaded by import() only when a command
// reaches the source, so a read of the embedded store in process never loads the network stack.
import { openCache } from '../cache/cache.js';
import { isTaskSourceError } from '../errors/task-source.js';
import { UserError } from '../errors/user.js';
import type { TaskSource } from '../sources/source.js';
import { randomUUID } from '../util/crypto.js';
import { useTaskSource, type UseSourceArgs } from './index.js';

export type CommandSourceArgs = Omit<UseSourceArgs, 'cache' | 'requestId' | 'projectRoot'>;

/**
 * Opens the cache and the task source for one command and always closes both. After a change (`write`), the cache
 * holds the new state before the command returns (see `useTaskSource`).
 */
export async function withCommandSource<T>(
  args: CommandSourceArgs,
  fn: (source: TaskSource) => Promise<T>,
): Promise<T> {
  const cache = openCache({ home: args.home, log: args.log });
  try {
    return await useTaskSource(
      // One id for this command's writes: a retry (after a timeout, or on the next endpoint) answers what landed.
      { ...args, cache, projectRoot: args.scope.projectRoot, requestId: randomUUID() },
      fn,
    );
  } catch (err) {
    // A task source failure is something to fix, not a crash: one line, no stack trace.
    // An id the source does not know is the caller's to fix, like any other bad argument.
    if (isTaskSourceError(err) && err.kind === 'not_found') {
      throw new UserError(
        `${err.message} (\`taskhooks tasks list --all\` shows the ids of this project and branch)`,
        2,
        { cause: err },
      );
    }
    // A source that cannot do what was asked (or is not set up for it) is not a failure to retry.
    if (isTaskSourceError(err)) throw new UserError(err.message, err.kind === 'config' ? 2 : 1, { cause: err });
    throw err;
  } finally {
    cache.close();
  }
}
