// The request-id ledger (see ../requests.ts) on PostgreSQL: taking a key is one upsert, so of two processes racing on
// one key exactly one takes it. Its table is made by the migrations.
import type { Pool } from 'pg';
import { REQUEST_ABANDONED_MS, REQUEST_TTL_MS, type RequestLedger, type RequestTake } from '../requests.js';

type AsyncLedger = {
  [K in keyof RequestLedger]: (...a: Parameters<RequestLedger[K]>) => Promise<ReturnType<RequestLedger[K]>>;
};

export function postgresLedger(pool: Pool): AsyncLedger {
  return {
    async takeRequest(key, fingerprint): Promise<RequestTake> {
      const at = Date.now();
      await pool.query('DELETE FROM write_requests WHERE taken_at < $1', [at - REQUEST_TTL_MS]);
      // Inserted, or taken over from an attempt of the same request that died: either way this attempt runs the write.
      const taken = await pool.query(
        `INSERT INTO write_requests (key, result, taken_at, fingerprint) VALUES ($1, NULL, $2, $4)
         ON CONFLICT (key) DO UPDATE SET taken_at = excluded.taken_at
         WHERE write_requests.result IS NULL AND write_requests.taken_at < $3 AND write_requests.fingerprint = $4
         RETURNING key`,
        [key, at, at - REQUEST_ABANDONED_MS, fingerprint],
      );
      if (taken.rowCount) return { state: 'taken' };
      const { rows } = await pool.query<{ result: string | null; fingerprint: string }>(
        'SELECT result, fingerprint FROM write_requests WHERE key = $1',
        [key],
      );
      const row = rows[0];
      // Gone between the two statements (dropped by a failed attempt): the caller asks again.
      if (!row) return { state: 'pending' };
      if (row.fingerprint !== fingerprint) return { state: 'other' };
      return row.result == null ? { state: 'pending' } : { state: 'done', result: row.result };
    },
    async finishRequest(key, result) {
      await pool.query('UPDATE write_requests SET result = $2 WHERE key = $1', [key, result]);
    },
    async dropRequest(key) {
      await pool.query('DELETE FROM write_requests WHERE key = $1 AND result IS NULL', [key]);
    },
  };
}
