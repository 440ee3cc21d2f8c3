// Registered twice, heard once: when a plugin and settings (or two settings files) both run taskhooks' hooks, Claude
// Code starts each hook once per registration, at the same moment. The first run of an event takes its lease here;
// the others see it taken and answer nothing, so a session is told each thing once.
import type { Cache } from './cache.js';

/** Long enough for every registration of one event to start; short enough that the same key comes round again. */
const EVENT_LEASE_MS = 60_000;

/**
 * Takes the lease on the event `key` unless an unexpired one exists: one statement, so two processes racing for it
 * leave exactly one winner. True when this caller took it.
 */
export function takeEventLease(cache: Cache, key: string, now = Date.now()): boolean {
  const taken = cache.write(
    () =>
      cache.db
        .prepare(
          `INSERT INTO event_leases (key, expires_at) VALUES (?, ?)
           ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE event_leases.expires_at <= ?`,
        )
        .run(key, now + EVENT_LEASE_MS, now).changes,
  );
  return taken === 1;
}
