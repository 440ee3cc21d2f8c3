// Reads of the shared cache that only tests make: what a table holds, beyond what the code's own queries need.
import { listMetrics, type ServerMetrics } from '../../src/cache/metrics.js';
import type { Cache } from '../../src/cache/cache.js';
import type { Logger } from '../../src/log/logger.js';

export function metricsOf(cache: Cache, server: string): ServerMetrics | undefined {
  return listMetrics(cache).find((m) => m.server === server);
}

/** How many task snapshots the cache holds, for one source key or all. */
export function snapshotCount(cache: Cache, sourceKey?: string): number {
  const sql =
    sourceKey === undefined
      ? 'SELECT COUNT(*) AS n FROM task_snapshots'
      : 'SELECT COUNT(*) AS n FROM task_snapshots WHERE source_key = ?';
  const row = (sourceKey === undefined ? cache.db.prepare(sql).get() : cache.db.prepare(sql).get(sourceKey)) as {
    n: number;
  };
  return row.n;
}

/** A logger that drops every line. */
export function silentLogger(): Logger {
  const noop = (() => undefined) as Logger['info'];
  const l: Logger = {
    level: 'silent',
    fatal: noop,
    error: noop,
    warn: noop,
    info: noop,
    debug: noop,
    trace: noop,
    child: () => l,
  };
  return l;
}
