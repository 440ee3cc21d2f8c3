// A task command's failure, one way for every route a command takes to its source (the network's, the store in
// process).
import { isTaskSourceError, type TaskSourceErrorKind } from './task-source.js';
import { type FailureKind, UserError } from './user.js';

/** A source's failure, as a script tells them apart: a source down or refusing is not a bad argument. */
const KIND_OF: Readonly<Record<TaskSourceErrorKind, FailureKind>> = {
  not_found: 'not_found',
  unavailable: 'unavailable',
  timeout: 'unavailable',
  breaker_open: 'unavailable',
  rate_limited: 'unavailable',
  auth: 'auth',
  config: 'config',
  protocol: 'failed',
  server: 'failed',
};

const LIST_IDS = '`taskhooks tasks list --all` shows the ids of this project and branch';

/**
 * A task command's failure as the person reads it: a source's failure is something to fix, not a crash (one line, no
 * stack trace), and an id the source does not know is the caller's to fix, like any other bad argument.
 */
export function commandFailure(err: unknown): unknown {
  if (!isTaskSourceError(err)) return err;
  const kind = KIND_OF[err.kind];
  if (kind === 'not_found') return new UserError(`${err.message} (${LIST_IDS})`, kind, { cause: err, fix: LIST_IDS });
  // A source's own fix (the token to set, the wait) goes on the same line; a generic one is the exit code's to give.
  const line = err.usualFix ? err.message : `${err.message}: ${err.fix}`;
  return new UserError(line, kind, { cause: err, fix: err.fix });
}
