import type { Cache } from './cache.js';

export interface ServerMetrics {
  server: string;
  calls: number;
  failures: number;
  meanMs: number;
  p95Ms: number;
  lastError?: string;
  lastErrorAt?: number;
  lastSuccessAt?: number;
}

/** Latency samples kept per server for the p95: enough to be stable, small enough to stay cheap. */
const SAMPLES_KEPT = 500;

export function recordCall(cache: Cache, server: string, ms: number, error: string | null, at = Date.now()): void {
  cache.write(() => {
    cache.db
      .prepare(
        `INSERT INTO server_metrics (server, calls, failures, total_ms, last_error, last_error_at, last_success_at)
         VALUES (@server, 1, @failed, @ms, @error, @errorAt, @successAt)
         ON CONFLICT(server) DO UPDATE SET calls = calls + 1, failures = failures + @failed, total_ms = total_ms + @ms,
           last_error = COALESCE(@error, last_error), last_error_at = COALESCE(@errorAt, last_error_at),
           last_success_at = COALESCE(@successAt, last_success_at)`,
      )
      .run({
        server,
        failed: error === null ? 0 : 1,
        ms,
        error,
        errorAt: error === null ? null : at,
        successAt: error === null ? at : null,
      });
    cache.db.prepare('INSERT INTO server_latency (server, at, ms) VALUES (?, ?, ?)').run(server, at, ms);
    cache.db
      .prepare(
        'DELETE FROM server_latency WHERE server = ? AND rowid NOT IN (SELECT rowid FROM server_latency WHERE server = ? ORDER BY at DESC LIMIT ?)',
      )
      .run(server, server, SAMPLES_KEPT);
  });
}

function readMetrics(cache: Cache, server: string): ServerMetrics | undefined {
  const row = cache.db.prepare('SELECT * FROM server_metrics WHERE server = ?').get(server) as
    | {
        calls: number;
        failures: number;
        total_ms: number;
        last_error: string | null;
        last_error_at: number | null;
        last_success_at: number | null;
      }
    | undefined;
  if (!row) return undefined;
  const samples = (
    cache.db.prepare('SELECT ms FROM server_latency WHERE server = ? ORDER BY ms').all(server) as Array<{ ms: number }>
  ).map((r) => r.ms);
  const p95 =
    samples.length === 0 ? 0 : (samples[Math.min(samples.length - 1, Math.ceil(samples.length * 0.95) - 1)] ?? 0);
  const m: ServerMetrics = {
    server,
    calls: row.calls,
    failures: row.failures,
    meanMs: row.calls ? row.total_ms / row.calls : 0,
    p95Ms: p95,
  };
  if (row.last_error !== null) m.lastError = row.last_error;
  if (row.last_error_at !== null) m.lastErrorAt = row.last_error_at;
  if (row.last_success_at !== null) m.lastSuccessAt = row.last_success_at;
  return m;
}

export function listMetrics(cache: Cache): ServerMetrics[] {
  const servers = cache.db.prepare('SELECT server FROM server_metrics ORDER BY server').all() as Array<{
    server: string;
  }>;
  return servers.flatMap((s) => readMetrics(cache, s.server) ?? []);
}
