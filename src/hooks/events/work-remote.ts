// The work records a session starting on a team's server is told of, read from that server (./work-told.ts reads the
// built-in store's): a lazy file, loaded only for a source that keeps records, and the network stack with it.
import type { WorkRecord } from '../../store/work-records.js';
import type { Scope } from '../../tasks/scope.js';
import { deadlineIn } from '../../util/deadline.js';
import type { HookDeps } from '../types.js';

/** Below this much of SessionStart's budget left, the server is not asked: the session starts without its records. */
const READ_MIN_MS = 100;

/**
 * The records a session starting in `scope` is told of, from the team's server, within what is left of SessionStart's
 * budget (`hooks.sessionStartDeadlineMs`); none when it is spent or the server cannot answer (logged).
 */
export async function serverRecords(
  deps: HookDeps,
  scope: Scope,
  ask: { taskIds: readonly string[]; limit: number },
): Promise<WorkRecord[]> {
  const { settings, cache, log } = deps;
  const left = (deps.startedAt ?? Date.now()) + settings.hooks.sessionStartDeadlineMs - Date.now();
  if (left < READ_MIN_MS) {
    log.warn({ left }, "work records not read: SessionStart's budget is spent (hooks.sessionStartDeadlineMs)");
    return [];
  }
  try {
    const network = await import('../../network/index.js');
    const common = { source: settings.source, home: settings.home, cache, log, projectRoot: scope.projectRoot };
    return await network.recentWork({ ...common, scope, ...ask, deadline: deadlineIn(left) });
  } catch (err) {
    log.warn({ err }, 'work records not read from the task server: the session starts without them');
    return [];
  }
}
