import { OPEN_STATUSES, type TaskStatus } from '../tasks/task.js';
import type { Cache } from './cache.js';
import { fetchedSnapshot, projectSnapshotKeys, readSnapshot } from './snapshots.js';

export type AlertKind = 'new_priority_task' | 'task_blocked';

export interface Alert {
  id: number;
  sourceKey: string;
  project: string;
  kind: AlertKind;
  taskId: string;
  message: string;
  createdAt: number;
}

/** Records an alert once per (source, project, kind, task); returns false when it already existed. */
export function addAlert(cache: Cache, a: Omit<Alert, 'id' | 'createdAt'>, now = Date.now()): boolean {
  return (
    cache.db
      .prepare(
        'INSERT OR IGNORE INTO alerts (source_key, project, kind, task_id, message, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(a.sourceKey, a.project, a.kind, a.taskId, a.message, now).changes > 0
  );
}

/**
 * Records an alert as already shown: news its reader already has (a task the person just added). The monitor's own
 * finding of it later is then this same alert, and tells nobody again.
 */
export function addShownAlert(cache: Cache, a: Omit<Alert, 'id' | 'createdAt'>, now = Date.now()): void {
  cache.write(() => {
    addAlert(cache, a, now);
    cache.db
      .prepare(
        'UPDATE alerts SET shown_at = ? WHERE source_key = ? AND project = ? AND kind = ? AND task_id = ? AND shown_at IS NULL',
      )
      .run(now, a.sourceKey, a.project, a.kind, a.taskId);
  });
}

type AlertRow = {
  id: number;
  source_key: string;
  project: string;
  kind: AlertKind;
  task_id: string;
  message: string;
  created_at: number;
};

export const ALERT_COLUMNS = 'SELECT id, source_key, project, kind, task_id, message, created_at FROM alerts';
const UNSHOWN = `${ALERT_COLUMNS} WHERE source_key = ? AND project = ? AND shown_at IS NULL ORDER BY id`;

/** The alerts `sql` (ALERT_COLUMNS, then its conditions) selects with `params`. */
export function alertRows(cache: Cache, sql: string, ...params: string[]): Alert[] {
  const rows = cache.db.prepare(sql).all(...params) as AlertRow[];
  return rows.map((r) => ({
    id: r.id,
    sourceKey: r.source_key,
    project: r.project,
    kind: r.kind,
    taskId: r.task_id,
    message: r.message,
    createdAt: r.created_at,
  }));
}

/**
 * The alerts whose news still holds, by the project's snapshots as they are now: a new task still open, a blocked
 * task still blocked. A task finished, cancelled or deleted since is no news. Where no snapshot of the project holds
 * fetched tasks there is nothing to tell by, and every alert stays.
 */
export function stillSo(cache: Cache, sourceKey: string, project: string, alerts: Alert[]): Alert[] {
  if (alerts.length === 0) return alerts;
  const status = new Map<string, TaskStatus>();
  let known = false;
  for (const key of projectSnapshotKeys(cache, sourceKey, project)) {
    const snap = fetchedSnapshot(readSnapshot(cache, key));
    if (!snap) continue;
    known = true;
    for (const t of snap.tasks) status.set(t.id, t.status);
  }
  if (!known) return alerts;
  return alerts.filter((a) => {
    const now = status.get(a.taskId);
    return a.kind === 'task_blocked' ? now === 'blocked' : now !== undefined && OPEN_STATUSES.includes(now);
  });
}

/** The alerts not yet shown for a project whose news still holds, oldest first, left unshown (previews, the board). */
export function listUnshownAlerts(cache: Cache, sourceKey: string, project: string): Alert[] {
  return stillSo(cache, sourceKey, project, alertRows(cache, UNSHOWN, sourceKey, project));
}

/**
 * Returns the alerts not yet shown for a project whose news still holds, and marks every unshown one shown (those
 * no longer so included), atomically, so each is shown once; shown to `session`, should its answer be lost
 * (./alerts-retold.ts).
 */
export function takeUnshownAlerts(
  cache: Cache,
  sourceKey: string,
  project: string,
  now = Date.now(),
  session?: string,
): Alert[] {
  return cache.write(() => {
    const alerts = alertRows(cache, UNSHOWN, sourceKey, project);
    if (alerts.length > 0) {
      cache.db
        .prepare(
          'UPDATE alerts SET shown_at = ?, shown_to = ? WHERE source_key = ? AND project = ? AND shown_at IS NULL AND id <= ?',
        )
        .run(now, session ?? null, sourceKey, project, alerts[alerts.length - 1]?.id ?? 0);
    }
    return stillSo(cache, sourceKey, project, alerts);
  });
}
