// Which tasks a session starts with: the cached snapshot when it is fresh and shows every change made (no network at
// all), else one live fetch bounded by hooks.sessionStartDeadlineMs (shared with concurrent sessions), else the cache
// with its age and the reason it is not live.
import { snapshotKey, fetchedSnapshot, readSnapshot, type TaskSnapshot } from '../cache/snapshots.js';
import type { Cache } from '../cache/cache.js';
import type { Settings } from '../config/settings.js';
import type { Freshness } from '../context/render.js';
import type { Logger } from '../log/logger.js';
import type { Scope } from '../tasks/scope.js';
import { formatAge } from '../util/age.js';

export interface SessionTasks {
  snapshot: TaskSnapshot | undefined;
  freshness: Freshness;
  why: string[];
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
  const { settings, cache, log, scope, now } = args;
  const { source } = settings;
  const cached = readSnapshot(cache, snapshotKey(source.key, scope));
  const usable = fetchedSnapshot(cached);
  const ageMs = usable ? Math.max(0, now - usable.fetchedAt) : undefined;
  const ttlMs = settings.cache.taskTtlSeconds * 1000;
  const fallback = (problem: string | undefined, why: string[]): SessionTasks => {
    const freshness: Freshness =
      ageMs === undefined
        ? { kind: 'none', ...(problem ? { problem } : {}) }
        : { kind: 'stale', ageMs, ...(problem ? { problem } : {}) };
    return { snapshot: usable, freshness, why };
  };

  if (ageMs !== undefined && ageMs < ttlMs && usable?.staleSince === undefined) {
    return {
      snapshot: usable,
      freshness: { kind: 'cached', ageMs },
      why: [
        `tasks: cached snapshot is ${formatAge(ageMs)} old, within cache.taskTtlSeconds (${settings.cache.taskTtlSeconds} s): no network call`,
      ],
    };
  }
  const state =
    ageMs === undefined
      ? 'no cached snapshot'
      : usable?.staleSince !== undefined
        ? `cached snapshot is ${formatAge(ageMs)} old and a change was made ${formatAge(Math.max(0, now - usable.staleSince))} ago`
        : `cached snapshot is ${formatAge(ageMs)} old (TTL ${settings.cache.taskTtlSeconds} s)`;
  if (!args.allowNetwork) {
    const problem = cached?.lastError ? `last refresh failed: ${cached.lastError}` : undefined;
    return fallback(problem, [`tasks: ${state}; no live fetch from here (a preview with --offline)`]);
  }
  // A file of its own (dist/hooks/lazy/live-fetch.js): a hook that answers from the cache never parses it.
  const { liveSnapshot } = await import('./live-fetch.js');
  const live = await liveSnapshot({
    hook: 'SessionStart',
    settings,
    cache,
    log,
    scope,
    startedAt: args.startedAt,
    seenFetchedAt: usable?.fetchedAt ?? 0,
  });
  if (live.ok) return { snapshot: live.snapshot, freshness: { kind: 'live' }, why: [`tasks: ${state}; ${live.why}`] };
  return fallback(live.problem, [`tasks: ${state}; ${live.why}`]);
}
