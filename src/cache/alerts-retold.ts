// A monitor that took a session's start and answered too late took its alerts too: the run answering that start
// instead tells them again, once. Its own file, loaded only by such a run.
import { ALERT_COLUMNS, alertRows, stillSo, type Alert } from './alerts.js';
import type { Cache } from './cache.js';

const TOLD_TO = `${ALERT_COLUMNS} WHERE source_key = ? AND project = ? AND shown_to = ? ORDER BY id`;

/** The alerts shown to `session` whose news still holds; they are no longer held for it. */
export function retakeAlerts(cache: Cache, sourceKey: string, project: string, session: string): Alert[] {
  return cache.write(() => {
    const alerts = alertRows(cache, TOLD_TO, sourceKey, project, session);
    const ids = alerts.map((a) => a.id);
    if (ids.length > 0) {
      cache.db.prepare(`UPDATE alerts SET shown_to = NULL WHERE id IN (${ids.map(() => '?').join(', ')})`).run(...ids);
    }
    return stillSo(cache, sourceKey, project, alerts);
  });
}
