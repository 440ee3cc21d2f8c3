// A task started or let go from inside a Claude Code session: the session's hold on it, in the shared cache.
import path from 'node:path';
import { openCache, type Cache } from '../../cache/cache.js';
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
export function holdForSession(h: {
  target: TaskTarget;
  here: SessionHere;
  taskId: string;
  status: TaskStatus;
  serverClaimed: boolean;
}): string | undefined {
  const { settings, scope } = h.target;
  const { cache, session } = h.here;
  const claim = { project: scope.project, taskId: h.taskId, sessionId: session.sessionId };
  if (h.status !== 'in_progress') {
    releaseClaim(cache, claim);
    return undefined;
  }
  const at = Date.now();
  const held = claimTask(cache, { ...claim, at }, livenessOf(settings, at));
  if (held && held.session.sessionId !== session.sessionId)
    return `Note: ${stripControls(h.taskId)} is in progress in another session too (worktree ${stripControls(held.session.cwd)}, branch ${stripControls(held.session.branch || '(none)')}).`;
  if (h.serverClaimed && !h.target.dbFile)
    recordServerClaim(cache, {
      ...claim,
      sourceKey: settings.source.key,
      root: session.cwd,
      leaseSeconds: settings.hooks.claimLeaseSeconds,
      renewedAt: at,
    });
  return `Held by the session in ${stripControls(session.cwd)} while it runs.`;
}

/** The session a command runs in, and the cache connection that found it, for the hold. */
export interface SessionHere {
  session: LiveSession;
  cache: Cache;
}

/** The live Claude Code session this command runs in (its worktree holds the working directory), if any. */
export function sessionHere(ctx: CliContext, target: TaskTarget): SessionHere | undefined {
  const cache = openCache({ home: target.settings.home, log: ctx.log() });
  // Left open for the command's end (src/cli/process-end.ts): closing the last connection folds the cache's
  // write-ahead log into its file, a checkpoint and fsync the command's write then starts over (some 40 ms).
  ctx.endWithoutClosing();
  const session = sessionAt(cache, path.resolve(ctx.cwd), livenessOf(target.settings, Date.now()));
  return session && { session, cache };
}
