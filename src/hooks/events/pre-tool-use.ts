// PreToolUse: reminds the session of the task in progress when it edits, commits or pushes, and applies the configured
// guards (./pre-tool-use-run.ts); when its run fails, the guards alone still apply.
import type { Settings } from '../../config/settings.js';
import { locateScope } from '../../tasks/scope.js';
import { evaluateGuards } from '../guards/guards.js';
import { candidateCall, readGitCall } from '../guards/watched.js';
import type { HookInput } from '../input/fields.js';
import type { HookOutput } from '../types.js';
import { defineHook } from './define.js';
import { answer, preToolUse } from './pre-tool-use-run.js';

/**
 * The guards alone, for a call whose run failed (a cache locked by a long write, a broken cache, the watchdog): the
 * protected paths and branches need neither the cache nor the network, and a failing cache must not switch off the
 * user's policies. With no tasks known, requireActiveTask stays silent, as for a source that answers in prose.
 */
async function guardsAlone(
  input: HookInput,
  settings: Settings,
  callerPid?: () => number | undefined,
): Promise<HookOutput | null> {
  const candidate = candidateCall(input);
  const guards = settings.hooks.guards;
  if (!candidate || !input.cwd || (candidate.kind === 'bash' && guards.protectedBranches.length === 0)) return null;
  const call = candidate.kind === 'edit' ? candidate : await readGitCall(candidate.command);
  if (!call) return null;
  const { scope } = locateScope(settings.project, input.cwd);
  const verdict = evaluateGuards({
    guards,
    call,
    root: scope.projectRoot,
    cwd: input.cwd,
    agentPid: callerPid,
    branch: scope.branch || null,
    inProgress: undefined,
    next: undefined,
    tasksUnknown: true,
  });
  return verdict ? answer(verdict, undefined) : null;
}

/**
 * Exact names: a plain `A|B` list matches whole tool names only. Calls it has nothing to say about never open the
 * config or the cache. Every edit waits for it: a live fetch (only after a change made the snapshot stale) is bounded
 * by hooks.preToolUseDeadlineMs, which the schema caps so that the watchdog fires inside Claude Code's timeout; a
 * PreToolUse that gives up lets the tool call through (fails open).
 */
export const preToolUseHook = defineHook({
  name: 'pre-tool-use',
  event: 'PreToolUse',
  matcher: 'Edit|Write|MultiEdit|NotebookEdit|Bash',
  http: true,
  mcpTool: true,
  gates: [{ module: 'guards/prefilter', check: 'mayBeWatched' }],
  run: (input, deps) => preToolUse(input, deps, evaluateGuards),
  wants: (input) => candidateCall(input) !== undefined,
  rescue: guardsAlone,
  deadline: 'preToolUseDeadlineMs',
  marginMs: 2000,
  allowNetwork: true,
});
