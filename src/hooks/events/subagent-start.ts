// SubagentStart: a subagent starts knowing nothing of the work; it is told, in one line, the task its parent session
// works on and the branch. Read from the cache only (the session's claim, else the branch's task in progress).
import { sessionTask } from '../../cache/live-sessions.js';
import { readSnapshotBrief, snapshotKey } from '../../cache/snapshots.js';
import { marked } from '../../context/marker.js';
import { sanitize } from '../../context/sanitize.js';
import { locateScope } from '../../tasks/scope.js';
import type { HookInput } from '../input/fields.js';
import { defineHook } from './define.js';
import type { HookDeps, HookResult } from '../types.js';

async function subagentStart(input: HookInput, deps: HookDeps): Promise<HookResult> {
  if (!input.cwd) return { output: null, trace: [{ kind: 'no-cwd' }] };
  const { settings, cache } = deps;
  const { scope } = locateScope(settings.project, input.cwd);
  const brief = readSnapshotBrief(cache, snapshotKey(settings.source.key, scope));
  const held = input.session_id ? sessionTask(cache, input.session_id) : undefined;
  const task =
    held !== undefined
      ? ([brief?.inProgress, brief?.next].find((t) => t?.id === held) ?? { id: held, title: '' })
      : brief?.inProgress;
  if (!task) return { output: null, trace: [{ kind: 'subagent' }] };
  const title = task.title ? ` "${sanitize(task.title, 160)}"` : '';
  const line = `[taskhooks] Your parent session works on ${sanitize(task.id, 64)}${title} on branch ${sanitize(scope.branch || '(none)', 100)} of project ${sanitize(scope.project, 100)}.`;
  return {
    output: { hookSpecificOutput: { hookEventName: 'SubagentStart', additionalContext: marked(line, deps.marker) } },
    trace: [held ? { kind: 'subagent', held } : { kind: 'subagent', inProgress: task.id }],
  };
}

/** One line for a starting subagent from the cache: a command, it is rare and has no tool call to wait on. */
export const subagentStartHook = defineHook({
  name: 'subagent-start',
  event: 'SubagentStart',
  http: true,
  mcpTool: true,
  run: subagentStart,
  wants: (input) => typeof input.cwd === 'string',
  marginMs: 3000,
  allowNetwork: false,
});
