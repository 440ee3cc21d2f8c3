// The task source one command acts through (a CLI command): the cache opened beside it, one request id for its writes,
// and a source's failure turned into the one line the person can act on. Loaded by import() only when a command
// reaches the source, so a read of the embedded store in process never loads the network stack.
import { openCache } from '../cache/cache.js';
import { commandFailure } from '../errors/command.js';
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
    throw commandFailure(err);
  } finally {
    cache.close();
  }
}
