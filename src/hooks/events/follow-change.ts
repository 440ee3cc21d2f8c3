// PostToolUse's first stage, after a task tool's call: the cached snapshot follows what the call changed (patched where
// the answer says what, marked stale where it does not, left as the built-in store wrote it), a task the session
// started is held as its own, and a running monitor is asked to fetch. The hook (./post-tool-use.ts) then tells the
// news.
import {
  claimTask,
  markSnapshotStale,
  patchSnapshotTasks,
  releaseClaim,
  snapshotKey,
  type Cache,
  type SnapshotKey,
  type SnapshotTaskEdit,
} from '../../cache/index.js';
import type { Settings } from '../../config/settings.js';
import { noteStatusChange } from '../../cache/session-work.js';
import { wakeMonitor } from '../../home/signals.js';
import { locateScope } from '../../tasks/scope.js';
import type { HookInput } from '../input/fields.js';
import { livenessOf } from '../live-session.js';
import type { Trace } from '../trace.js';
import type { HookDeps } from '../types.js';
import type { TaskChange } from './task-answers.js';

/** Brings the snapshot in step with a task change the call made; the ids it changed, which are no news to it. */
export function followChange(input: HookInput & { cwd: string }, deps: HookDeps, change: TaskChange, trace: Trace) {
  const { settings, cache, log } = deps;
  const { scope } = locateScope(settings.project, input.cwd);
  const key: SnapshotKey = snapshotKey(settings.source.key, scope);
  const at = (deps.now ?? Date.now)();
  trace.push({ kind: 'scope', project: scope.project, branch: scope.branch });
  const ids = new Set<string>();
  if (change.kind === 'edits') {
    const { patched, unknown } = patchSnapshotTasks(cache, key, change.edits, at);
    trace.push({ kind: 'patched', ids: patched, unknown });
    log.debug({ tool: input.tool_name, patched, unknown }, 'PostToolUse: snapshot patched');
    for (const e of change.edits) ids.add(e.id);
    if (input.session_id)
      holdWhatItStarted({
        cache,
        settings,
        sessionId: input.session_id,
        project: scope.project,
        edits: change.edits,
        at,
      });
  } else if (settings.source.plan.kind === 'embedded') {
    // The built-in store told the cache itself when the write committed (src/sources/embedded/fresh-scopes.ts):
    // the snapshot already holds the change, and a stale mark would only send the monitor to read it again.
    trace.push({ kind: 'store-told' });
    return ids;
  } else {
    markSnapshotStale(cache, key, at);
    trace.push({ kind: 'marked-stale', reason: change.why });
    const fields = { tool: input.tool_name, project: scope.project, branch: scope.branch };
    if (change.malformed)
      log.warn(fields, `PostToolUse: ${change.why}; snapshot marked stale, the next hook fetches live`);
    else log.debug(fields, `PostToolUse: ${change.why}; snapshot marked stale`);
  }
  // The cache already tells the next hook what to do; a monitor not woken only fetches later.
  wakeMonitor(settings.home, log, 'a tool changed tasks');
  return ids;
}

/**
 * A task the session moved to in progress is its own while it lives; one it finished or left is free again. Each
 * status it set goes into its work record.
 */
function holdWhatItStarted(a: {
  cache: Cache;
  settings: Settings;
  sessionId: string;
  project: string;
  edits: readonly SnapshotTaskEdit[];
  at: number;
}): void {
  for (const e of a.edits) {
    const c = { project: a.project, taskId: e.id, sessionId: a.sessionId };
    if ('status' in e)
      a.cache.write(() => noteStatusChange(a.cache, a.sessionId, { taskId: e.id, status: e.status, at: a.at }));
    if ('status' in e && e.status === 'in_progress')
      claimTask(a.cache, { ...c, at: a.at }, livenessOf(a.settings, a.at));
    else releaseClaim(a.cache, c);
  }
}
