// A command whose work is still pending when Node runs out of things to wait on ends as if it succeeded: exit 0, and
// nothing printed. That must never pass for an answer (a script reading `--json` would parse nothing), so it fails.
import type { EventEmitter } from 'node:events';

interface ExitingProcess extends Pick<EventEmitter, 'once'> {
  exitCode?: number | string | null | undefined;
  stderr: { write(text: string): unknown };
}

/**
 * Holds `run` to a real ending: when the process exits before `run` settled, one line on stderr says so and the exit
 * code is 1. Returns `run`, settled as it settles.
 */
export function failIfUnsettled<T>(run: Promise<T>, proc: ExitingProcess, what: string): Promise<T> {
  let settled = false;
  proc.once('exit', () => {
    if (settled) return;
    proc.stderr.write(
      `${what} ended before it finished: nothing it waited for could still answer, so it printed ` +
        `nothing (its log, logs/cli.log in the state directory, may say more)\n`,
    );
    proc.exitCode = 1;
  });
  return run.finally(() => {
    settled = true;
  });
}
