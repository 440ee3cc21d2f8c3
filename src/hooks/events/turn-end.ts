// Stop: the session's turn is over. Its work record is written now, not only at its end: a session killed later (the
// terminal closed, the machine slept) never runs SessionEnd, and the record its last Stop left is then the one kept.
// SessionEnd replaces it with the session's last word; a live session keeps its claims and what it was told.
import { isSafeSessionId } from '../../cache/news-generation.js';
import type { HookInput } from '../input/fields.js';
import { defineHook } from './define.js';
import type { HookDeps, HookResult } from '../types.js';

async function turnEnd(input: HookInput, deps: HookDeps): Promise<HookResult> {
  const sessionId = input.session_id;
  if (!sessionId || !isSafeSessionId(sessionId))
    return { output: null, trace: [{ kind: 'no-session', alsoCwd: false }] };
  if (deps.dryRun || deps.cache.copy || deps.settings.source.plan.kind !== 'embedded')
    return { output: null, trace: [{ kind: 'work-recorded', recorded: 0 }] };
  // The recorder (git, the store's writer) is a lazy file, as at SessionEnd.
  const work = await import('./work-record.js');
  const basis = work.workBasis(deps, sessionId);
  const recorded = basis ? await work.recordWork(input, deps, basis, (deps.now ?? Date.now)()) : 0;
  return { output: null, trace: [{ kind: 'work-recorded', recorded }] };
}

/**
 * Nothing to answer. A command Claude Code does not wait for, as SessionEnd's, or an `mcp_tool` hook the monitor
 * answers at once (the plugin, `--transport mcp`): no process at each turn's end. Another agent's turn end runs it
 * too: Codex's Stop, where it has no SessionEnd at all, and Gemini CLI's AfterAgent.
 */
export const turnEndHook = defineHook({
  name: 'turn-end',
  event: 'Stop',
  http: false,
  mcpTool: true,
  async: true,
  run: turnEnd,
  wants: (input) => typeof input.session_id === 'string',
  marginMs: 3000,
  allowNetwork: false,
});
