// Which tasks a session starts with: the cached snapshot when fresh (no network at all), else one live fetch
// bounded by hooks.sessionStartDeadlineMs, else the cache with its age and the reason it is not live.
import type { Settings } from '../config/settings.js';
import { fetchedSnapshot, readSnapshot, recordSnapshotError, type TaskSnapshot } from '../cache/snapshots.js';
import type { Store } from '../cache/store.js';
import type { Logger } from '../log/logger.js';
import type { Scope } from '../tasks/scope.js';
import type { Freshness } from '../context/render.js';
import { formatAge } from '../util/age.js';
import type { RefreshArgs } from '../network/index.js';
import { isSourceBreakerOpen } from '../resilience/index.js';
import { guardedServers } from '../sources/plan.js';
import { deadlineAt, earlier, type Deadline } from '../util/deadline.js';

/** Left to refreshTasks to record its own failure (and the breaker's) before the hook's own deadline fires. */
const RECORD_MARGIN_MS = 30;
/** Kept back from the deadline for rendering, printing and exiting after the fetch gave up. */
const FINISH_MARGIN_MS = 40;
/** Below this a fetch cannot succeed: not worth loading the network stack for. */
const MIN_FETCH_MS = 100;

export interface SessionTasks {
  snapshot: TaskSnapshot | undefined;
  freshness: Freshness;
  why: string[];
}

class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`no answer within the ${ms} ms SessionStart deadline`);
    this.name = 'DeadlineExceeded';
  }
}

/** One line for the context: what went wrong, in the words of the client's TaskSourceError when there is one. */
function describeFailure(err: unknown): string {
  if (err instanceof DeadlineExceeded) return `task server unreachable (timeout after ${err.ms} ms)`;
  const e = err as { kind?: unknown; short?: unknown; message?: unknown } | null;
  const short = typeof e?.short === 'string' ? e.short : typeof e?.message === 'string' ? e.message : String(err);
  switch (e?.kind) {
    case 'auth':
      return `task server rejected the credentials (${short})`;
    case 'config':
      return `task source misconfigured (${short})`;
    case 'not_found':
      return `project not found on the task server (${short})`;
    default:
      return `task server unreachable (${short})`;
  }
}

/** Settles when the deadline passes (or is cancelled), with the failure the hook reports then. */
function whenOver(deadline: Deadline, configuredMs: number): Promise<never> {
  return new Promise((_, reject) => {
    const over = (): void => reject(new DeadlineExceeded(configuredMs));
    if (deadline.signal.aborted) over();
    else deadline.signal.addEventListener('abort', over, { once: true });
  });
}

/** One live fetch, given up at the deadline even if the network stack never returns. */
async function fetchBy(args: Omit<RefreshArgs, 'deadline'>, deadline: Deadline, configuredMs: number): Promise<TaskSnapshot> {
  const fetch = (async () => {
    // The deadline covers loading the network stack too: on a slow disk that alone can take a while.
    const network = await import('../network/index.js');
    return network.refreshTasks({ ...args, deadline: earlier(deadline, RECORD_MARGIN_MS) });
  })();
  try {
    return await Promise.race([fetch, whenOver(deadline, configuredMs)]);
  } finally {
    fetch.catch(() => undefined); // settled after the race was lost: already reported
  }
}

export async function sessionTasks(args: {
  settings: Settings;
  store: Store;
  log: Logger;
  scope: Scope;
  now: number;
  /** The deadline counts from here (the hook process's start). */
  startedAt: number;
  allowNetwork: boolean;
}): Promise<SessionTasks> {
  const { settings, store, log, scope, now } = args;
  const { cache, source } = settings;
  const key = { sourceKey: source.key, project: scope.project, branch: scope.branch };
  const cached = readSnapshot(store, source.key, scope.project, scope.branch);
  const usable = fetchedSnapshot(cached);
  const ageMs = usable ? Math.max(0, now - usable.fetchedAt) : undefined;
  const ttlMs = cache.taskTtlSeconds * 1000;
  const fallback = (problem: string | undefined, why: string[]): SessionTasks => {
    const freshness: Freshness =
      ageMs === undefined ? { kind: 'none', ...(problem ? { problem } : {}) } : { kind: 'stale', ageMs, ...(problem ? { problem } : {}) };
    return { snapshot: usable, freshness, why };
  };

  if (ageMs !== undefined && ageMs < ttlMs) {
    return {
      snapshot: usable,
      freshness: { kind: 'cached', ageMs },
      why: [`tasks: cached snapshot is ${formatAge(ageMs)} old, within cache.taskTtlSeconds (${cache.taskTtlSeconds} s): no network call`],
    };
  }
  const state = ageMs === undefined ? 'no cached snapshot' : `cached snapshot is ${formatAge(ageMs)} old (TTL ${cache.taskTtlSeconds} s)`;
  if (!args.allowNetwork) {
    const problem = cached?.lastError ? `last refresh failed: ${cached.lastError}` : undefined;
    return fallback(problem, [`tasks: ${state}; no live fetch from here (a preview with --offline, or a served hook)`]);
  }
  const breaker = isSourceBreakerOpen(store, guardedServers(source.plan), now);
  if (breaker.open) {
    const problem = `task server unreachable (${breaker.lastError ?? 'circuit breaker open'})`;
    return fallback(problem, [`tasks: ${state}; circuit breaker open, no attempt made`]);
  }
  const deadline = settings.hooks.sessionStartDeadlineMs;
  const started = Date.now();
  const fetchDeadline = deadlineAt(args.startedAt + deadline - FINISH_MARGIN_MS);
  if (fetchDeadline.at - started < MIN_FETCH_MS) {
    const problem = deadline === 0 ? 'live fetch off (hooks.sessionStartDeadlineMs = 0)' : `no time left for a live fetch within ${deadline} ms`;
    return fallback(problem, [`tasks: ${state}; ${problem}`]);
  }
  try {
    const snapshot = await fetchBy({ source, home: settings.home, store, log, scope }, fetchDeadline, deadline);
    return {
      snapshot,
      freshness: { kind: 'live' },
      why: [`tasks: ${state}; fetched live in ${Date.now() - started} ms (hooks.sessionStartDeadlineMs ${deadline} ms)`],
    };
  } catch (err) {
    const problem = describeFailure(err);
    log.warn({ err, project: scope.project, branch: scope.branch }, `SessionStart live fetch failed: ${problem}`);
    // refreshTasks records its own failures (TaskSourceError, with a kind); anything else it never saw or never reported.
    if (typeof (err as { kind?: unknown } | null)?.kind !== 'string') {
      const detail = err instanceof DeadlineExceeded ? `timeout after ${err.ms} ms` : err instanceof Error ? err.message : String(err);
      try {
        store.write(() => recordSnapshotError(store, key, detail, Date.now()));
      } catch (writeErr) {
        log.warn({ err: writeErr }, 'could not record the failed refresh');
      }
    }
    return fallback(problem, [`tasks: ${state}; live fetch failed after ${Date.now() - started} ms: ${problem}`]);
  }
}
