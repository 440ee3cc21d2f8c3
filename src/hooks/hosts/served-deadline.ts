// A served PreToolUse's deadline, apart from the served host so that its own tests can hold the pipeline.
import type { Settings } from '../../config/settings.js';
import type { Logger } from '../../log/logger.js';
import type { CommandHook, HookOutput } from '../types.js';
import { failedAnswer } from './refusal.js';
import { watchdog } from './watchdog.js';

/**
 * A served PreToolUse's own deadline, the command hook's watchdog time (below every agent's timeout for the hook)
 * from when the request came: an agent that stops waiting runs the call, so a check still running then refuses it
 * while a guard may apply. The guards' budgets keep any one stretch of work short enough for the timer to fire.
 */
export function servedDeadline(hook: CommandHook, log: Logger) {
  const started = Date.now();
  let settings: Settings | undefined;
  let fired = false;
  let answer: (output: HookOutput | null) => void = () => {};
  const timedOut = new Promise<HookOutput | null>((resolve) => {
    answer = resolve;
  });
  const dog = watchdog(() => {
    fired = true;
    const ms = Date.now() - started;
    log.error({ event: hook.name, ms }, `${hook.name} took over ${ms} ms; answering without its check`);
    answer(failedAnswer(hook, settings, `took over ${ms} ms`));
  });
  dog.arm(hook.watchdogMs());
  return {
    /** The settings move the deadline to what they configure, still counted from the request. */
    read(s: Settings): void {
      settings = s;
      dog.arm(Math.max(1, hook.watchdogMs(s) - (Date.now() - started)));
    },
    race(pipeline: Promise<{ output: HookOutput | null }>): Promise<HookOutput | null> {
      // A check that fails after the answer went has no one left to answer: it is logged.
      pipeline.catch((err: unknown) => {
        if (fired) log.error({ err, event: hook.name }, `${hook.name} failed after its deadline`);
      });
      return Promise.race([pipeline.then((r) => r.output), timedOut]).finally(() => dog.clear());
    },
  };
}
