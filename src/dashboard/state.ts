// Everything the dashboard shows besides the tasks themselves, read from the cache in one go: the projects the
// monitor follows and how fresh each snapshot is, breakers, alerts waiting to be told, the task servers' timings and
// what each session was last told.
import { listUnshownAlerts, type Alert } from '../cache/alerts.js';
import { listBreakers, type BreakerRecord } from '../cache/breakers.js';
import { listMetrics, type ServerMetrics } from '../cache/metrics.js';
import { listProjects, type RegisteredProject } from '../cache/projects.js';
import { listTold, type ToldEntry } from '../cache/sessions.js';
import { listSnapshotHealth, type SnapshotHealth } from '../cache/snapshot-status.js';
import type { Cache } from '../cache/cache.js';
import { sessionAgents } from '../cache/live-sessions.js';

export interface CacheView {
  projects: RegisteredProject[];
  snapshots: SnapshotHealth[];
  breakers: BreakerRecord[];
  alerts: Alert[];
  metrics: ServerMetrics[];
  told: ToldEntry[];
  /** The agent each session runs in, by session id. */
  agents: Map<string, string>;
}

export function readCacheView(cache: Cache): CacheView {
  // One deferred transaction: a refresh written meanwhile cannot mix two states on the page.
  return cache.db
    .transaction(() => {
      const projects = listProjects(cache);
      const seen = new Set<string>();
      const alerts = projects.flatMap((p) => {
        const key = `${p.sourceKey}\0${p.name}`;
        if (seen.has(key)) return [];
        seen.add(key);
        return listUnshownAlerts(cache, p.sourceKey, p.name);
      });
      return {
        projects,
        snapshots: listSnapshotHealth(cache),
        breakers: listBreakers(cache),
        alerts,
        metrics: listMetrics(cache),
        told: listTold(cache),
        agents: sessionAgents(cache),
      };
    })
    .deferred();
}
