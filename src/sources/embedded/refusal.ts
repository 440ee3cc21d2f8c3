// A refusal of the built-in store, read or written in this process, as the failure the served store gives for it: the
// commands print the same words on either route.
import { TaskSourceError } from '../../errors/task-source.js';
import { TaskDbError } from '../../store/errors.js';

/** A store's refusal as the source's failure, worded as the served store words it. */
export function refusal(err: unknown, what: string, server: string | undefined): unknown {
  if (!(err instanceof TaskDbError)) return err;
  if (err.code === 'NOT_FOUND')
    return new TaskSourceError('not_found', err.message, { short: 'not found', place: server, cause: err });
  return new TaskSourceError('server', `Task server error in manage_task ${what}: ${err.message}`, {
    short: err.message.slice(0, 80),
    place: server,
    cause: err,
  });
}
