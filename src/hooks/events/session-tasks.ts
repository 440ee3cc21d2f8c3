// Which tasks a session starts with: the cached snapshot when it is fresh and shows every change made (no network at
// all), else one live fetch bounded by hooks.sessionStartDeadlineMs (shared with concurrent sessions), else the cache
// with its age and the reason it is not live.
import { snapshotKey, fetchedSnapshot, readSnapshot, type TaskSnapshot } from '../../cache/snapshots.js';
import type { Cache } from '../../cache/cache.js';
import type { Settings } from '../../config/settings.js';
import type { Freshness } from '../../context/render.js';
import type { Logger } from '../../log/logger.js';
import type { Scope } from '../../tasks/scope.js';
import { fetchLive } from '../fetch/lazy-fetch.js';
import type { CachedTasks, Fact } from '../trace.js';

export interface SessionTasks {
  snapshot: TaskSnapshot | undefined;
  freshness: Freshness;
  /** How they were found, for the hook's trace. */
  fact: Fact;
}

export async function sessionTasks(args: {
  settings: Settings;
  cache: Cache;
  log: Logger;
  scope: Scope;
  now: number;
  /** The deadline counts from here (the hook process's start). */
  startedAt: number;
  allowNetwork: boolean;
}): Promise<SessionTasks> {
  const { settings, cache, scope, now } = args;
  const cachedSnapshot = readSnapshot(cache, snapshotKey(settings.source.key, scope));
  const usable = fetchedSnapshot(cachedSnapshot);
  const ageMs = usable ? Math.max(0, now - usable.fetchedAt) : undefined;
  const ttlSeconds = settings.cache.taskTtlSeconds;
  const fallback = (problem: string | undefined, fact: Fact): SessionTasks => {
    const freshness: Freshness =
      ageMs === undefined
        ? { kind: 'none', ...(problem ? { problem } : {}) }
        : { kind: 'stale', ageMs, ...(problem ? { problem } : {}) };
    return { snapshot: usable, freshness, fact };
  };

  if (ageMs !== undefined && ageMs < ttlSeconds * 1000 && usable?.staleSince === undefined) {
    const cached: CachedTasks = { state: 'fresh', ageMs, ttlSeconds };
    return { snapshot: usable, freshness: { kind: 'cached', ageMs }, fact: { kind: 'cached-tasks', cached } };
  }
  const cached: CachedTasks =
    ageMs === undefined
      ? { state: 'none' }
      : usable?.staleSince !== undefined
        ? { state: 'changed', ageMs, changedAgoMs: Math.max(0, now - usable.staleSince) }
        : { state: 'expired', ageMs, ttlSeconds };
  if (!args.allowNetwork) {
    const problem = cachedSnapshot?.lastError ? `last refresh failed: ${cachedSnapshot.lastError}` : undefined;
    return fallback(problem, { kind: 'offline', cached });
  }
  const live = await fetchLive('SessionStart', args, scope, usable?.fetchedAt ?? 0);
  const fact: Fact = { kind: 'fetched', outcome: live.outcome, cached };
  if (live.ok) return { snapshot: live.snapshot, freshness: { kind: 'live' }, fact };
  return fallback(live.problem, fact);
}
