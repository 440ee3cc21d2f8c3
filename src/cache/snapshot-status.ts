// What a status line says about one snapshot: its brief, how many tasks are pending and whether the last refresh
// failed, read without parsing the task list (SQLite counts it), since a status line runs after every message.
import { readSnapshotBrief, type SnapshotBrief, type SnapshotKey } from './snapshots.js';
import type { Cache } from './cache.js';
import { nonNull } from '../util/object.js';

export interface SnapshotStatus extends SnapshotBrief {
  /** Pending tasks, counted as SessionStart counts them: the list, plus the server's next task when not in it. */
  pending: number;
  /** When the last refresh failed, if it did (a successful fetch clears it). */
  lastErrorAt?: number;
}

function read(cache: Cache, key: SnapshotKey): SnapshotStatus | undefined {
  const brief = readSnapshotBrief(cache, key);
  if (!brief) return undefined;
  const row = cache.db
    .prepare(
      `SELECT last_error_at, json_array_length(tasks) + (next_task IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM json_each(tasks) WHERE json_extract(value, '$.id') = json_extract(next_task, '$.id'))) AS pending
       FROM task_snapshots WHERE source_key = ? AND project = ? AND branch = ?`,
    )
    .get(key.sourceKey, key.project, key.branch) as { last_error_at: number | null; pending: number } | undefined;
  if (!row) return undefined;
  const status: SnapshotStatus = { ...brief, pending: row.pending };
  if (row.last_error_at !== null) status.lastErrorAt = row.last_error_at;
  return status;
}

/** Both reads in one (deferred, read-only) transaction: a refresh written in between cannot mix two states. */
export function readSnapshotStatus(cache: Cache, key: SnapshotKey): SnapshotStatus | undefined {
  return cache.db.transaction(read)(cache, key);
}

/** How fresh one snapshot is, for a person looking: when it was fetched, whether a change waits, its last error. */
export interface SnapshotHealth {
  sourceKey: string;
  project: string;
  branch: string;
  /** 0 when no fetch ever succeeded (the row holds only an error). */
  fetchedAt: number;
  staleSince?: number;
  lastError?: string;
  lastErrorAt?: number;
}

export function listSnapshotHealth(cache: Cache): SnapshotHealth[] {
  const rows = cache.db
    .prepare(
      'SELECT source_key, project, branch, fetched_at, stale_since, last_error, last_error_at FROM task_snapshots ORDER BY project, branch',
    )
    .all() as Array<{
    source_key: string;
    project: string;
    branch: string;
    fetched_at: number;
    stale_since: number | null;
    last_error: string | null;
    last_error_at: number | null;
  }>;
  return rows.map((r) => ({
    sourceKey: r.source_key,
    project: r.project,
    branch: r.branch,
    fetchedAt: r.fetched_at,
    ...nonNull({ staleSince: r.stale_since, lastError: r.last_error, lastErrorAt: r.last_error_at }),
  }));
}
