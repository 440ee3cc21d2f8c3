// Server claims follow the sessions: the monitor tells the task server about the claims this machine's live sessions
// hold, renews them before their lease runs out, and releases them once the session ends or lets the task go. Nothing
// to do is the common case: one query, the network stack is not loaded, and no timer waits for the next run.
import type { Cache } from '../cache/cache.js';
import type { Liveness } from '../cache/live-sessions.js';
import {
  forgetServerClaim,
  nextRenewalAt,
  recordServerClaim,
  serverClaimsDue,
  type ServerClaim,
} from '../cache/server-claims.js';
import { loadSettings, type Settings } from '../config/settings.js';
import { isTaskSourceError } from '../errors/task-source.js';
import type { Logger } from '../log/logger.js';
import type { claimOnServer } from '../network/index.js';
import { keepsClaims } from '../sources/plan.js';
import { deadlineIn } from '../util/deadline.js';

/** The network stack's `claimOnServer` (a type-only import: it loads at first use). */
export type ClaimOnServerFn = typeof claimOnServer;

export interface ClaimDeps {
  home: string;
  cache: Cache;
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** When a session counts as ended, at a moment (the daemon's settings: `livenessOf`). */
  liveness: (now: number) => Liveness;
  claimOnServer: ClaimOnServerFn;
  now?: () => number;
}

export interface ClaimReport {
  claimed: number;
  released: number;
  failed: number;
  /** When the follower must run again though nothing wakes it (a renewal, a retry); none: only a wake. */
  nextAt?: number;
}

/** How soon a claim the server could not be reached for is tried again. */
const RETRY_MS = 30_000;

/**
 * Returns the job that brings servers' claims in line with the sessions'. A server that cannot keep claims (its
 * answer said so) is not asked again while this monitor runs; one that refused a claim (another claimant holds it)
 * is asked again only after a third of the lease.
 */
export function createClaimFollower(deps: ClaimDeps): () => Promise<ClaimReport> {
  const cannot = new Set<string>();
  const refusedUntil = new Map<string, number>();
  const { cache, log } = deps;

  const settingsAt = async (root: string): Promise<Settings> =>
    (await loadSettings({ cwd: root, env: deps.env })).settings;

  const tell = async (
    settings: Settings,
    c: Pick<ServerClaim, 'root' | 'taskId' | 'sessionId' | 'leaseSeconds'>,
    action: 'claim' | 'release',
  ): Promise<void> =>
    deps.claimOnServer({
      source: settings.source,
      home: deps.home,
      cache,
      log,
      env: deps.env,
      projectRoot: c.root,
      action,
      taskId: c.taskId,
      claimant: c.sessionId,
      leaseSeconds: c.leaseSeconds,
      deadline: deadlineIn(Math.max(1000, settings.source.timeoutMs)),
    });

  return async () => {
    const now = (deps.now ?? Date.now)();
    const report: ClaimReport = { claimed: 0, released: 0, failed: 0 };
    let retryAt: number | undefined;
    const retry = (at: number): void => {
      retryAt = Math.min(retryAt ?? at, at);
    };
    const due = serverClaimsDue(cache, deps.liveness(now));
    for (const c of due.release) {
      try {
        const settings = await settingsAt(c.root);
        // The project now names another server (or its worktree is gone): the old one's lease lets the claim go.
        if (settings.source.key !== c.sourceKey) {
          log.info(
            { task: c.taskId, source: c.sourceKey },
            'a claim on a server no longer configured is left to its lease',
          );
          forgetServerClaim(cache, c);
          continue;
        }
        await tell(settings, c, 'release');
        report.released++;
      } catch (err) {
        // Given up once its lease is over: the server has let it go by then.
        const lapsed = now >= c.renewedAt + c.leaseSeconds * 1000;
        const transient = isTaskSourceError(err) && err.transient;
        log.warn({ err, task: c.taskId, session: c.sessionId }, 'releasing a claim on the task server failed');
        report.failed++;
        if (transient && !lapsed) {
          retry(now + RETRY_MS);
          continue;
        }
      }
      forgetServerClaim(cache, c);
    }
    for (const w of due.renew) {
      const settings = await settingsAt(w.root);
      const key = settings.source.key;
      const id = `${key}\n${w.project}\n${w.taskId}\n${w.sessionId}`;
      if (!keepsClaims(settings.source.plan) || cannot.has(key) || (refusedUntil.get(id) ?? 0) > now) continue;
      const claim = { ...w, sourceKey: key, leaseSeconds: settings.hooks.claimLeaseSeconds };
      try {
        await tell(settings, claim, 'claim');
        recordServerClaim(cache, { ...claim, renewedAt: now });
        refusedUntil.delete(id);
        report.claimed++;
      } catch (err) {
        report.failed++;
        if (isTaskSourceError(err) && err.kind === 'config') {
          cannot.add(key);
          log.info({ source: key }, `the task server keeps no claims: ${err.message}`);
        } else if (isTaskSourceError(err) && err.transient) {
          log.warn({ err, task: w.taskId }, 'claiming a task on the task server failed; tried again shortly');
          retry(now + RETRY_MS);
        } else {
          refusedUntil.set(id, now + (claim.leaseSeconds * 1000) / 3);
          retry(now + (claim.leaseSeconds * 1000) / 3);
          log.warn({ err, task: w.taskId, session: w.sessionId }, 'the task server refused the claim');
        }
      }
    }
    if (report.claimed + report.released + report.failed > 0) log.info({ ...report }, 'server claims followed');
    const nextAt = Math.min(nextRenewalAt(cache) ?? Number.POSITIVE_INFINITY, retryAt ?? Number.POSITIVE_INFINITY);
    return Number.isFinite(nextAt) ? { ...report, nextAt } : report;
  };
}
