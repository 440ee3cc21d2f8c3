// The events' one way to a live fetch: live-fetch.ts is a file of its own (dist/hooks/lazy/live-fetch.js), so a hook
// that answers from the cache never parses it; only a stale snapshot loads it, here.
import type { Cache } from '../../cache/cache.js';
import type { Settings } from '../../config/settings.js';
import type { Logger } from '../../log/logger.js';
import type { Scope } from '../../tasks/scope.js';
import type { LiveArgs, LiveResult } from './live-fetch.js';

/** What the asking hook runs with; `startedAt` absent: now. */
export interface LiveFrom {
  settings: Settings;
  cache: Cache;
  log: Logger;
  startedAt?: number | undefined;
}

/** One live fetch of `scope`'s snapshot for `hook`, newer than `seenFetchedAt` (0: none was found). */
export async function fetchLive(
  hook: LiveArgs['hook'],
  from: LiveFrom,
  scope: Scope,
  seenFetchedAt: number,
): Promise<LiveResult> {
  const { liveSnapshot } = await import('./live-fetch.js');
  const { settings, cache, log } = from;
  return liveSnapshot({ hook, settings, cache, log, scope, startedAt: from.startedAt ?? Date.now(), seenFetchedAt });
}
