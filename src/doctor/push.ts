// Whether a task server's changes reach this machine pushed: the subscription the monitor makes, made once and closed.
// A server that cannot push at all is polled, which is fine; one that says its change feed hears nothing (a pooler in
// transaction mode in front of its database) is a fault its operator can fix, so the step fails with the server's fix.
import type { Cache } from '../cache/cache.js';
import type { Logger } from '../log/logger.js';
import { subscribeToChanges } from '../sources/live.js';
import type { SourceSettings } from '../sources/plan.js';
import type { Deadline } from '../util/deadline.js';

export interface PushCheckArgs {
  source: SourceSettings;
  home: string;
  cache: Cache;
  log: Logger;
  env: NodeJS.ProcessEnv;
  project: string;
  deadline: Deadline;
}

/** The step's detail when changes are pushed or simply polled; a `fix` when the server says it cannot push. */
export async function checkPush(args: PushCheckArgs): Promise<{ detail: string; fix?: string }> {
  const outcome = await subscribeToChanges({ ...args, projects: [args.project], onChange: () => undefined });
  if (outcome.subscribed) {
    await outcome.subscription.close();
    return { detail: `pushed: subscribed at ${outcome.subscription.server}` };
  }
  if (outcome.fix !== undefined)
    return { detail: outcome.why, fix: `whoever runs the task server: ${outcome.fix}; the monitor polls meanwhile` };
  return { detail: `not pushed (${outcome.why}): the monitor polls on monitor.taskSchedule` };
}
