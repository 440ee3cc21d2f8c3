// PostToolUse: when the session changes its tasks through the configured source's MCP tools, the cached snapshot
// follows at once where the tool's answer says what changed, and is marked stale where it does not (the next hook
// then fetches live). Either way a running monitor is asked to fetch. Never says anything to the model.
import { claimTask, releaseClaim } from '../cache/live-sessions.js';
import {
  snapshotKey,
  markSnapshotStale,
  patchSnapshotTasks,
  type SnapshotKey,
  type SnapshotTaskEdit,
} from '../cache/snapshots.js';
import type { Cache } from '../cache/cache.js';
import type { Settings } from '../config/settings.js';
import { livenessOf } from './live-session.js';
import { wakeMonitor } from '../home/signals.js';
import { locateScope } from '../tasks/scope.js';
import { readTaskChange } from './task-answers.js';
import { mayChangeTasks, taskChangingCall } from './task-tools.js';
import type { CommandHook } from './types.js';
import type { HookInput } from './input-fields.js';
import type { Trace } from './trace.js';
import type { HookDeps, HookResult } from './types.js';

export async function postToolUse(input: HookInput, deps: HookDeps): Promise<HookResult> {
  const { settings, cache, log } = deps;
  const call = taskChangingCall(input, settings.source.plan);
  if (!call) return { output: null, trace: [{ kind: 'tool-ignored', tool: input.tool_name, why: 'no-task-change' }] };
  if (!input.cwd) {
    log.warn({ tool: input.tool_name }, 'PostToolUse input has no cwd: cache left as it is');
    return { output: null, trace: [{ kind: 'no-cwd' }] };
  }
  const { scope } = locateScope(settings.project, input.cwd);
  const key: SnapshotKey = snapshotKey(settings.source.key, scope);
  const at = (deps.now ?? Date.now)();
  const trace: Trace = [{ kind: 'scope', project: scope.project, branch: scope.branch }];

  const change = readTaskChange(call, input.tool_input, input.tool_response);
  if (change.kind === 'edits') {
    const { patched, unknown } = patchSnapshotTasks(cache, key, change.edits, at);
    trace.push({ kind: 'patched', ids: patched, unknown });
    log.debug({ tool: input.tool_name, patched, unknown }, 'PostToolUse: snapshot patched');
    if (input.session_id)
      holdWhatItStarted({
        cache,
        settings,
        sessionId: input.session_id,
        project: scope.project,
        edits: change.edits,
        at,
      });
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
  return { output: null, trace };
}

/** A task the session moved to in progress is its own while it lives; one it finished or left is free again. */
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
    if ('status' in e && e.status === 'in_progress')
      claimTask(a.cache, { ...c, at: a.at }, livenessOf(a.settings, a.at));
    else releaseClaim(a.cache, c);
  }
}

/** The command hook: runs in the background (async in the settings) and only for the configured source's tools. */
export const postToolUseHook: CommandHook = {
  name: 'post-tool-use',
  run: postToolUse,
  wants: mayChangeTasks,
  wantsWith: (input, settings) => taskChangingCall(input, settings.source.plan) !== undefined,
  watchdogMs: () => 3000,
  allowNetwork: false,
};
