// Everything the dashboard shows besides the tasks themselves, read from the cache in one go: the projects the
// monitor follows and how fresh each snapshot is, breakers, alerts waiting to be told, the task servers' timings and
// what each session was last told.
import { listUnshownAlerts, type Alert } from '../cache/alerts.js';
import { listBreakers, type BreakerRecord } from '../cache/breakers.js';
import { listMetrics, type ServerMetrics } from '../cache/metrics.js';
import { listProjects, type RegisteredProject } from '../cache/registered-projects.js';
import { listTold, type ToldEntry } from '../told/table.js';
import { listSnapshotHealth, type SnapshotHealth } from '../cache/snapshot-status.js';
import type { Cache } from '../cache/cache.js';
import { liveSessionIds, sessionAgents } from '../cache/live-sessions.js';

/**
 * A project the board can show: one the monitor follows (its folder known), or one only a snapshot names (its tasks
 * added with `taskhooks tasks add` in a folder never installed nor opened in a session): the board reaches that one by
 * its name and branch through the monitor's own source.
 */
export type BoardProject =
  | { name: string; root: string }
  | { name: string; sourceKey: string; branch: string; root?: undefined };

export interface CacheView {
  projects: RegisteredProject[];
  /** Followed projects, the most recently seen first, then those only a fetched snapshot names. */
  board: BoardProject[];
  snapshots: SnapshotHealth[];
  breakers: BreakerRecord[];
  alerts: Alert[];
  metrics: ServerMetrics[];
  told: ToldEntry[];
  /** The agent each session runs (or ran) in, by session id. */
  agents: Map<string, string>;
  /** The sessions still registered; the others in `told` have ended. */
  live: Set<string>;
}

function boardProjects(projects: RegisteredProject[], snapshots: SnapshotHealth[]): BoardProject[] {
  const board: BoardProject[] = [];
  const named = new Set<string>();
  const add = (p: BoardProject): void => {
    if (named.has(p.name)) return;
    named.add(p.name);
    board.push(p);
  };
  for (const p of [...projects].sort((a, b) => b.lastSeen - a.lastSeen)) add({ name: p.name, root: p.root });
  for (const s of snapshots.filter((x) => x.fetchedAt > 0).sort((a, b) => b.fetchedAt - a.fetchedAt))
    add({ name: s.project, sourceKey: s.sourceKey, branch: s.branch });
  return board;
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
      const snapshots = listSnapshotHealth(cache);
      return {
        projects,
        board: boardProjects(projects, snapshots),
        snapshots,
        breakers: listBreakers(cache),
        alerts,
        metrics: listMetrics(cache),
        told: listTold(cache),
        agents: sessionAgents(cache),
        live: liveSessionIds(cache),
      };
    })
    .deferred();
}
