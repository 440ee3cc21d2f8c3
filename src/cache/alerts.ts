import type { Cache } from './cache.js';

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

/** The alerts not yet shown for a project, oldest first, left unshown (previews such as `taskhooks context`). */
export function listUnshownAlerts(cache: Cache, sourceKey: string, project: string): Alert[] {
  const rows = cache.db
    .prepare(
      'SELECT id, source_key, project, kind, task_id, message, created_at FROM alerts WHERE source_key = ? AND project = ? AND shown_at IS NULL ORDER BY id',
    )
    .all(sourceKey, project) as Array<{
    id: number;
    source_key: string;
    project: string;
    kind: AlertKind;
    task_id: string;
    message: string;
    created_at: number;
  }>;
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

/** Returns the alerts not yet shown for a project and marks them shown, atomically, so each is shown once. */
export function takeUnshownAlerts(cache: Cache, sourceKey: string, project: string, now = Date.now()): Alert[] {
  return cache.write(() => {
    const alerts = listUnshownAlerts(cache, sourceKey, project);
    if (alerts.length > 0) {
      cache.db
        .prepare('UPDATE alerts SET shown_at = ? WHERE source_key = ? AND project = ? AND shown_at IS NULL AND id <= ?')
        .run(now, sourceKey, project, alerts[alerts.length - 1]?.id ?? 0);
    }
    return alerts;
  });
}
