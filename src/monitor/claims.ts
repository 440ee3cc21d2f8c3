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
  type ClaimsDue,
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
  const follower = new ClaimFollower(deps);
  return () => follower.follow();
}

type Told = Pick<ServerClaim, 'root' | 'project' | 'taskId' | 'sessionId' | 'leaseSeconds'>;
/** A claim to take or renew, on the server the settings name now. */
type Taken = Omit<ServerClaim, 'renewedAt'>;

function refusalKey(c: Taken): string {
  return `${c.sourceKey}\n${c.project}\n${c.taskId}\n${c.sessionId}`;
}

/** One run of the follower: its moment, what it did, and the soonest retry it asked for. */
class ClaimRun {
  readonly report: ClaimReport = { claimed: 0, released: 0, failed: 0 };
  private retryAt: number | undefined;

  constructor(readonly now: number) {}

  retry(at: number): void {
    this.retryAt = Math.min(this.retryAt ?? at, at);
  }

  /** The report, with when to run again: the next renewal or the soonest retry, whichever comes first. */
  result(nextRenewal: number | undefined): ClaimReport {
    const nextAt = Math.min(nextRenewal ?? Number.POSITIVE_INFINITY, this.retryAt ?? Number.POSITIVE_INFINITY);
    return Number.isFinite(nextAt) ? { ...this.report, nextAt } : this.report;
  }
}

/** What the follower remembers between runs: the servers that keep no claims and the claims refused for a while. */
class ClaimFollower {
  private readonly cannot = new Set<string>();
  private readonly refusedUntil = new Map<string, number>();

  constructor(private readonly deps: ClaimDeps) {}

  async follow(): Promise<ClaimReport> {
    const { cache, log } = this.deps;
    const run = new ClaimRun((this.deps.now ?? Date.now)());
    const due = serverClaimsDue(cache, this.deps.liveness(run.now));
    for (const c of due.release) await this.release(c, run);
    for (const w of due.renew) await this.claim(w, run);
    if (run.report.claimed + run.report.released + run.report.failed > 0)
      log.info({ ...run.report }, 'server claims followed');
    return run.result(nextRenewalAt(cache));
  }

  private async release(c: ServerClaim, run: ClaimRun): Promise<void> {
    const { cache, log } = this.deps;
    try {
      const settings = await this.settingsAt(c.root);
      // The project now names another server (or its worktree is gone): the old one's lease lets the claim go.
      if (settings.source.key !== c.sourceKey) {
        log.info(
          { task: c.taskId, source: c.sourceKey },
          'a claim on a server no longer configured is left to its lease',
        );
        forgetServerClaim(cache, c);
        return;
      }
      await this.tell(settings, c, 'release');
      run.report.released++;
    } catch (err) {
      // Given up once its lease is over: the server has let it go by then.
      const lapsed = run.now >= c.renewedAt + c.leaseSeconds * 1000;
      const transient = isTaskSourceError(err) && err.transient;
      log.warn({ err, task: c.taskId, session: c.sessionId }, 'releasing a claim on the task server failed');
      run.report.failed++;
      if (transient && !lapsed) {
        run.retry(run.now + RETRY_MS);
        return;
      }
    }
    forgetServerClaim(cache, c);
  }

  private async claim(w: ClaimsDue['renew'][number], run: ClaimRun): Promise<void> {
    const settings = await this.settingsAt(w.root);
    const key = settings.source.key;
    const claim: Taken = { ...w, sourceKey: key, leaseSeconds: settings.hooks.claimLeaseSeconds };
    const id = refusalKey(claim);
    if (!keepsClaims(settings.source.plan) || this.cannot.has(key) || (this.refusedUntil.get(id) ?? 0) > run.now)
      return;
    try {
      await this.tell(settings, claim, 'claim');
      recordServerClaim(this.deps.cache, { ...claim, renewedAt: run.now });
      this.refusedUntil.delete(id);
      run.report.claimed++;
    } catch (err) {
      run.report.failed++;
      this.claimFailed(err, claim, run);
    }
  }

  /** A server that keeps no claims is left alone; a transient failure is retried soon; a refusal after a while. */
  private claimFailed(err: unknown, claim: Taken, run: ClaimRun): void {
    const { log } = this.deps;
    if (isTaskSourceError(err) && err.kind === 'config') {
      this.cannot.add(claim.sourceKey);
      log.info({ source: claim.sourceKey }, `the task server keeps no claims: ${err.message}`);
    } else if (isTaskSourceError(err) && err.transient) {
      log.warn({ err, task: claim.taskId }, 'claiming a task on the task server failed; tried again shortly');
      run.retry(run.now + RETRY_MS);
    } else {
      this.refusedUntil.set(refusalKey(claim), run.now + (claim.leaseSeconds * 1000) / 3);
      run.retry(run.now + (claim.leaseSeconds * 1000) / 3);
      log.warn({ err, task: claim.taskId, session: claim.sessionId }, 'the task server refused the claim');
    }
  }

  private async settingsAt(root: string): Promise<Settings> {
    return (await loadSettings({ cwd: root, env: this.deps.env })).settings;
  }

  private tell(settings: Settings, c: Told, action: 'claim' | 'release'): Promise<void> {
    const { deps } = this;
    return deps.claimOnServer({
      source: settings.source,
      home: deps.home,
      cache: deps.cache,
      log: deps.log,
      env: deps.env,
      projectRoot: c.root,
      action,
      taskId: c.taskId,
      project: c.project,
      claimant: c.sessionId,
      leaseSeconds: c.leaseSeconds,
      deadline: deadlineIn(Math.max(1000, settings.source.timeoutMs)),
    });
  }
}
