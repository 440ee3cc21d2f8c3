// The request-id ledger (see ../requests.ts) on PostgreSQL: taking a key is one upsert, so of two processes racing on
// one key exactly one takes it. Its table is made here, apart from the numbered migrations, under their lock.
import type { Pool } from 'pg';
import { REQUEST_ABANDONED_MS, REQUEST_TTL_MS, type RequestLedger, type RequestTake } from '../requests.js';
import { MIGRATION_LOCK } from './schema.js';

type AsyncLedger = {
  [K in keyof RequestLedger]: (...a: Parameters<RequestLedger[K]>) => Promise<ReturnType<RequestLedger[K]>>;
};

/** Makes the ledger's table when missing; processes starting at once queue on the migrations' advisory lock. */
export async function ensureRequestTable(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(x'${MIGRATION_LOCK}'::bigint)`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS write_requests (key text PRIMARY KEY, result text, taken_at bigint NOT NULL);
       CREATE INDEX IF NOT EXISTS write_requests_by_age ON write_requests(taken_at)`,
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new Error(
      `PostgreSQL task store: cannot create the write_requests table: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  } finally {
    client.release();
  }
}

export function postgresLedger(pool: Pool): AsyncLedger {
  return {
    async takeRequest(key): Promise<RequestTake> {
      const at = Date.now();
      await pool.query('DELETE FROM write_requests WHERE taken_at < $1', [at - REQUEST_TTL_MS]);
      // Inserted, or taken over from an attempt that died: either way this attempt runs the write.
      const taken = await pool.query(
        `INSERT INTO write_requests (key, result, taken_at) VALUES ($1, NULL, $2)
         ON CONFLICT (key) DO UPDATE SET taken_at = excluded.taken_at
         WHERE write_requests.result IS NULL AND write_requests.taken_at < $3 RETURNING key`,
        [key, at, at - REQUEST_ABANDONED_MS],
      );
      if (taken.rowCount) return { state: 'taken' };
      const { rows } = await pool.query<{ result: string | null }>('SELECT result FROM write_requests WHERE key = $1', [
        key,
      ]);
      const result = rows[0]?.result;
      // Gone between the two statements (dropped by a failed attempt): the caller asks again.
      if (rows.length === 0) return { state: 'pending' };
      return result == null ? { state: 'pending' } : { state: 'done', result };
    },
    async finishRequest(key, result) {
      await pool.query('UPDATE write_requests SET result = $2 WHERE key = $1', [key, result]);
    },
    async dropRequest(key) {
      await pool.query('DELETE FROM write_requests WHERE key = $1 AND result IS NULL', [key]);
    },
  };
}
