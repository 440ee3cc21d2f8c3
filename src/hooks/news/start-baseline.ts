// SessionStart's record of the tasks it told, as the session's news baseline (./baseline.ts). A lazy file of the
// hooks (scripts/bundles.mjs): SessionStart imports it after its answer is rendered.
import { sessionTask } from '../../cache/live-sessions.js';
import { fetchedSnapshot, type TaskSnapshot } from '../../cache/snapshots.js';
import { readInjection, writeInjection } from '../../told/table.js';
import type { Scope } from '../../tasks/scope.js';
import type { HookDeps } from '../types.js';
import { BASELINE_KEY, baselineOf, holdersFor, parseBaseline } from './baseline.js';

/**
 * Records the tasks SessionStart told as the session's baseline, so a change landing before its first prompt is news
 * there rather than part of that first look's silent baseline. Only fetched tasks count: a session told none has no
 * baseline to keep, and its first look records one as before. A session that has one already (resumed, compacted)
 * keeps it: its conversation still holds what it was told then, so a task finished meanwhile is still news to it;
 * `replace` is for one whose conversation was cleared.
 */
export function recordStartBaseline(
  deps: HookDeps,
  told: { sessionId: string; scope: Scope; snapshot: TaskSnapshot; replace: boolean },
): void {
  const { sessionId, snapshot } = told;
  if (!fetchedSnapshot(snapshot)) return;
  const { cache } = deps;
  cache.write(() => {
    const was = parseBaseline(readInjection(cache, sessionId, BASELINE_KEY));
    if (was && !told.replace) return;
    const holderOf = holdersFor(deps, told.scope, sessionId);
    const baseline = baselineOf(snapshot, { own: undefined, held: sessionTask(cache, sessionId), holderOf });
    writeInjection(cache, sessionId, BASELINE_KEY, JSON.stringify(baseline));
  });
}
