// A task started or let go from inside a Claude Code session: the session's hold on it, in the shared cache.
import path from 'node:path';
import { withCache } from '../../cache/cache.js';
import { claimTask, releaseClaim, sessionAt, type LiveSession } from '../../cache/live-sessions.js';
import { recordServerClaim } from '../../cache/server-claims.js';
import { stripControls } from '../../context/sanitize.js';
import { livenessOf } from '../../hooks/live-session.js';
import type { TaskStatus } from '../../tasks/task.js';
import type { CliContext } from '../command.js';
import type { TaskTarget } from './tasks-source.js';

/**
 * Run inside a Claude Code session (its worktree), a start makes the task that session's, as Claude's own start would;
 * any other status lets it go. A claim the server took is recorded, so the monitor renews it while the session lives
 * and releases it when it ends. Says what happened, or undefined outside a session.
 */
export function holdForSession(
  ctx: CliContext,
  h: { target: TaskTarget; session: LiveSession; taskId: string; status: TaskStatus; serverClaimed: boolean },
): string | undefined {
  const { settings, scope } = h.target;
  return withCache({ home: settings.home, log: ctx.log() }, (cache) => {
    const claim = { project: scope.project, taskId: h.taskId, sessionId: h.session.sessionId };
    if (h.status !== 'in_progress') {
      releaseClaim(cache, claim);
      return undefined;
    }
    const at = Date.now();
    const held = claimTask(cache, { ...claim, at }, livenessOf(settings, at));
    if (held && held.session.sessionId !== h.session.sessionId)
      return `Note: ${stripControls(h.taskId)} is in progress in another session too (worktree ${stripControls(held.session.cwd)}, branch ${stripControls(held.session.branch || '(none)')}).`;
    if (h.serverClaimed && !h.target.dbFile)
      recordServerClaim(cache, {
        ...claim,
        sourceKey: settings.source.key,
        root: h.session.cwd,
        leaseSeconds: settings.hooks.claimLeaseSeconds,
        renewedAt: at,
      });
    return `Held by the session in ${stripControls(h.session.cwd)} while it runs.`;
  });
}

/** The live Claude Code session this command runs in (its worktree holds the working directory), if any. */
export function sessionHere(ctx: CliContext, target: TaskTarget): LiveSession | undefined {
  return withCache({ home: target.settings.home, log: ctx.log() }, (cache) =>
    sessionAt(cache, path.resolve(ctx.cwd), livenessOf(target.settings, Date.now())),
  );
}
