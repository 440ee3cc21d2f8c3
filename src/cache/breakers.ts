import { scrubString } from '../log/redact.js';
import type { Cache } from './cache.js';

export type BreakerState = 'closed' | 'open' | 'half_open';

/** A server's circuit breaker, shared by every process through the cache. */
export interface BreakerRecord {
  server: string;
  state: BreakerState;
  failures: number;
  openedAt?: number;
  lastError?: string;
  lastErrorAt?: number;
}

export function readBreaker(cache: Cache, server: string): BreakerRecord {
  const row = cache.db.prepare('SELECT * FROM breakers WHERE server = ?').get(server) as
    | {
        server: string;
        state: BreakerState;
        failures: number;
        opened_at: number | null;
        last_error: string | null;
        last_error_at: number | null;
      }
    | undefined;
  if (!row) return { server, state: 'closed', failures: 0 };
  const rec: BreakerRecord = { server, state: row.state, failures: row.failures };
  if (row.opened_at !== null) rec.openedAt = row.opened_at;
  if (row.last_error !== null) rec.lastError = row.last_error;
  if (row.last_error_at !== null) rec.lastErrorAt = row.last_error_at;
  return rec;
}

export function writeBreaker(cache: Cache, rec: BreakerRecord): void {
  cache.db
    .prepare(
      `INSERT INTO breakers (server, state, failures, opened_at, last_error, last_error_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(server) DO UPDATE SET state = excluded.state, failures = excluded.failures, opened_at = excluded.opened_at,
         last_error = excluded.last_error, last_error_at = excluded.last_error_at`,
    )
    .run(
      rec.server,
      rec.state,
      rec.failures,
      rec.openedAt ?? null,
      rec.lastError === undefined ? null : scrubString(rec.lastError),
      rec.lastErrorAt ?? null,
    );
}

export function listBreakers(cache: Cache): BreakerRecord[] {
  const servers = cache.db.prepare('SELECT server FROM breakers ORDER BY server').all() as Array<{ server: string }>;
  return servers.map((s) => readBreaker(cache, s.server));
}
