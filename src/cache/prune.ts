// What the cache forgets so that it does not grow forever: alerts already shown, what old sessions were told, git
// state of repositories no longer registered, expired fetch leases, answers kept for ETags nobody asked for again, and snapshots nobody will read again (their branch
// is gone, or their project left).
import type { SnapshotKey } from './snapshots.js';
import type { Cache } from './cache.js';
import { ETAG_KEEP_MS } from './etags.js';

export interface CachePrune {
  alerts: number;
  injections: number;
  gitStates: number;
  leases: number;
  snapshots: number;
  etags: number;
}

/** Which snapshots may go, decided by the caller (who knows the repositories' branches). */
export type SnapshotVerdict = (snapshot: SnapshotKey & { fetchedAt: number; lastErrorAt?: number }) => boolean;

/**
 * Deletes alerts shown before `shownBefore`, what sessions were told before `toldBefore`, git state of unregistered
 * repositories, leases expired by `now` and the snapshots `dropSnapshot` picks, in one transaction.
 */
export function pruneCache(
  cache: Cache,
  opts: { now: number; shownBefore: number; toldBefore: number; dropSnapshot: SnapshotVerdict },
): CachePrune {
  return cache.write(() => {
    const { db } = cache;
    const alerts = db
      .prepare('DELETE FROM alerts WHERE shown_at IS NOT NULL AND shown_at < ?')
      .run(opts.shownBefore).changes;
    const injections = db.prepare('DELETE FROM session_injections WHERE created_at < ?').run(opts.toldBefore).changes;
    const gitStates = db.prepare('DELETE FROM git_state WHERE repo NOT IN (SELECT root FROM projects)').run().changes;
    const leases =
      db.prepare('DELETE FROM fetch_leases WHERE expires_at <= ?').run(opts.now).changes +
      db.prepare('DELETE FROM event_leases WHERE expires_at <= ?').run(opts.now).changes;
    const rows = db
      .prepare('SELECT source_key, project, branch, fetched_at, last_error_at FROM task_snapshots')
      .all() as Array<{
      source_key: string;
      project: string;
      branch: string;
      fetched_at: number;
      last_error_at: number | null;
    }>;
    const drop = db.prepare('DELETE FROM task_snapshots WHERE source_key = ? AND project = ? AND branch = ?');
    let snapshots = 0;
    for (const r of rows) {
      const key = { sourceKey: r.source_key, project: r.project, branch: r.branch, fetchedAt: r.fetched_at };
      if (opts.dropSnapshot(r.last_error_at === null ? key : { ...key, lastErrorAt: r.last_error_at })) {
        snapshots += drop.run(r.source_key, r.project, r.branch).changes;
      }
    }
    const etags = db.prepare('DELETE FROM http_etags WHERE used_at < ?').run(opts.now - ETAG_KEEP_MS).changes;
    return { alerts, injections, gitStates, leases, snapshots, etags };
  });
}
