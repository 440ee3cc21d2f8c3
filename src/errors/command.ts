// A task command's failure, one way for every route a command takes to its source (the network's, the store in
// process).
import { isTaskSourceError } from './task-source.js';
import { UserError } from './user.js';

/**
 * A task command's failure as the person reads it: a source's failure is something to fix, not a crash (one line, no
 * stack trace), and an id the source does not know is the caller's to fix, like any other bad argument.
 */
export function commandFailure(err: unknown): unknown {
  if (isTaskSourceError(err) && err.kind === 'not_found')
    return new UserError(
      `${err.message} (\`taskhooks tasks list --all\` shows the ids of this project and branch)`,
      2,
      { cause: err },
    );
  // A source that cannot do what was asked (or is not set up for it) is not a failure to retry; the fix its source
  // names (the token to set, the wait) goes on the same line.
  if (isTaskSourceError(err)) {
    const line = err.usualFix ? err.message : `${err.message}: ${err.fix}`;
    return new UserError(line, err.kind === 'config' ? 2 : 1, { cause: err });
  }
  return err;
}
