// SessionEnd: the session is over, so what it needed while it lived (news baseline, reminders, claims) is forgotten at
// once; what it was told stays for the dashboard. Claude Code shows nothing a SessionEnd hook prints, and a killed
// session never runs it: the cache's pruning covers what it leaves behind.
import { forgetToldGeneration, isSafeSessionId } from '../../cache/news-generation.js';
import { endSession } from '../../cache/live-sessions.js';
import { forgetInjections } from '../../told/table.js';
import { wakeMonitor } from '../../home/signals.js';
import { mayKeepWork } from '../../sources/work-sharing.js';
import type { HookInput } from '../input/fields.js';
import { defineHook } from './define.js';
import type { HookDeps, HookResult } from '../types.js';

async function sessionEnd(input: HookInput, deps: HookDeps): Promise<HookResult> {
  const sessionId = input.session_id;
  if (!sessionId || !isSafeSessionId(sessionId))
    return { output: null, trace: [{ kind: 'no-session', alsoCwd: false }] };
  const reason = typeof input.reason === 'string' ? input.reason : '(none)';
  // A copy of the cache (a read-only state directory) holds nothing that outlives this run: nothing to forget.
  if (deps.dryRun || deps.cache.copy) return { output: null, trace: [{ kind: 'session-ended', reason }] };
  // What its work record needs of the cache is read before the session is forgotten; the recorder (git, the store's
  // writer) is a lazy file, loaded only for a source that may keep the record (as SessionStart decides it).
  const { settings } = deps;
  const keeps = mayKeepWork(settings.source.plan, settings.hooks.workComments);
  const work = keeps ? await import('./work-record.js') : undefined;
  const basis = work?.workBasis(deps, sessionId);
  const forgotten = forgetInjections(deps.cache, sessionId);
  // Its claims go with it: another session may take its task at once, and the monitor gives the server's back.
  const claims = endSession(deps.cache, sessionId);
  if (claims > 0) wakeMonitor(settings.home, deps.log, 'a session let its tasks go');
  forgetToldGeneration(settings.home, sessionId);
  const recorded = work && basis ? await work.recordWork(input, deps, basis, (deps.now ?? Date.now)()) : 0;
  deps.log.debug({ reason, forgotten, recorded }, 'SessionEnd: session forgotten');
  return { output: null, trace: [{ kind: 'session-ended', reason, forgotten }] };
}

/**
 * Nothing to answer, and Claude Code shows nothing it prints: a command that forgets the session. Async, because
 * Claude Code would otherwise hold every session's exit for its node start; a backgrounded hook runs on after
 * Claude Code has exited.
 */
export const sessionEndHook = defineHook({
  name: 'session-end',
  event: 'SessionEnd',
  http: false,
  mcpTool: false,
  async: true,
  run: sessionEnd,
  wants: (input) => typeof input.session_id === 'string',
  // Under the 5 s Claude Code allows it: room for a work record sent to a team's server or a tracker.
  marginMs: 4500,
  allowNetwork: false,
});
