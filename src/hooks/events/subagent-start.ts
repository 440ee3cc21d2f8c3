// SubagentStart: a subagent starts knowing nothing of the work; it is told, in one line, the task its parent session
// works on and the branch, read from the cache (the session's claim, else the branch's task in progress), and on the
// built-in store what the last session on that task did (its work record).
import { sessionTask } from '../../cache/live-sessions.js';
import { readSnapshotBrief, snapshotKey } from '../../cache/snapshots.js';
import { marked } from '../../context/marker.js';
import { sanitize } from '../../context/sanitize.js';
import { findGitRoot } from '../../git/repo.js';
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
  const told = `[taskhooks] Your parent session works on ${sanitize(task.id, 64)}${title} on branch ${sanitize(scope.branch || '(none)', 100)} of project ${sanitize(scope.project, 100)}.`;
  const last = await lastRecord(input.cwd, deps, { project: scope.project, taskId: task.id });
  // Still one line: the record's words are the last thing in it, quoted, as the session start tells them.
  const line = last ? `${told} ${last}` : told;
  return {
    output: { hookSpecificOutput: { hookEventName: 'SubagentStart', additionalContext: marked(line, deps.marker) } },
    trace: [held ? { kind: 'subagent', held } : { kind: 'subagent', inProgress: task.id }],
  };
}

/** The task's last work record as a sentence; the built-in store's alone, read by a lazy file. */
async function lastRecord(cwd: string, deps: HookDeps, t: { project: string; taskId: string }) {
  if (deps.settings.source.plan.kind !== 'embedded') return undefined;
  const work = await import('./work-told.js');
  const now = (deps.now ?? Date.now)();
  return work.lastWorkLine(deps, { ...t, root: findGitRoot(cwd), now });
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
