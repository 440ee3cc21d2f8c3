// One live fetch for many sessions: concurrent hooks that find the same snapshot cold agree, through a row here, on
// which of them fetches; the others wait for its snapshot instead of all loading the network stack at once.
import type { SnapshotKey } from './snapshots.js';
import type { Cache } from './cache.js';

/**
 * Takes the lease on fetching `key` until `expiresAt` (epoch ms) unless another holder has a lease that has not
 * expired. A holder that died leaves a lease that expires on its own. Returns whether `holder` now holds it.
 */
export function takeFetchLease(
  cache: Cache,
  key: SnapshotKey,
  holder: string,
  expiresAt: number,
  now = Date.now(),
): boolean {
  return cache.write(() => {
    const row = cache.db
      .prepare('SELECT holder, expires_at FROM fetch_leases WHERE source_key = ? AND project = ? AND branch = ?')
      .get(key.sourceKey, key.project, key.branch) as { holder: string; expires_at: number } | undefined;
    if (row && row.holder !== holder && row.expires_at > now) return false;
    cache.db
      .prepare(
        `INSERT INTO fetch_leases (source_key, project, branch, holder, expires_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (source_key, project, branch) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at`,
      )
      .run(key.sourceKey, key.project, key.branch, holder, expiresAt);
    return true;
  });
}

/** Gives the lease back (only when `holder` still holds it), so waiters stop waiting at once. */
export function releaseFetchLease(cache: Cache, key: SnapshotKey, holder: string): void {
  cache.write(() =>
    cache.db
      .prepare('DELETE FROM fetch_leases WHERE source_key = ? AND project = ? AND branch = ? AND holder = ?')
      .run(key.sourceKey, key.project, key.branch, holder),
  );
}

/** Whether someone holds an unexpired lease on fetching `key`. */
export function fetchLeaseHeld(cache: Cache, key: SnapshotKey, now = Date.now()): boolean {
  const row = cache.db
    .prepare('SELECT expires_at FROM fetch_leases WHERE source_key = ? AND project = ? AND branch = ?')
    .get(key.sourceKey, key.project, key.branch) as { expires_at: number } | undefined;
  return row !== undefined && row.expires_at > now;
}
