// The request-id ledger (see ../requests.ts) on PostgreSQL: a request is one transaction, which takes its key first
// (an attempt of the same key elsewhere waits on that row until this one ends), runs the write, and keeps the answer
// in the same commit. Its table is made by the migrations.
import type { TaskStore } from '../store.js';
import { REQUEST_TTL_MS, type RequestRun } from '../requests.js';
import type { PgConnection } from './connection.js';

// A row without an answer was left by an attempt of the old two-step ledger: nothing of it is kept, so it is taken.
const TAKE = `INSERT INTO write_requests (key, result, taken_at, fingerprint) VALUES ($1, NULL, $2, $3)
  ON CONFLICT (key) DO UPDATE SET taken_at = excluded.taken_at, fingerprint = excluded.fingerprint
  WHERE write_requests.result IS NULL
  RETURNING key`;

export function postgresRequests(c: PgConnection): Pick<TaskStore, 'runRequest'> {
  return {
    async runRequest(key, fingerprint, run): Promise<RequestRun> {
      const at = Date.now();
      await c.pool.query('DELETE FROM write_requests WHERE taken_at < $1', [at - REQUEST_TTL_MS]);
      for (;;) {
        const ran = await c.request<RequestRun | undefined>(async (q) => {
          if (!(await q.query(TAKE, [key, at, fingerprint])).rowCount) {
            const { rows } = await q.query<{ result: string; fingerprint: string }>(
              'SELECT result, fingerprint FROM write_requests WHERE key = $1',
              [key],
            );
            const row = rows[0];
            // Gone between the two statements (its day was up): asked again.
            if (!row) return { commit: false, value: undefined };
            const found: RequestRun =
              row.fingerprint === fingerprint ? { state: 'done', result: row.result } : { state: 'other' };
            return { commit: false, value: found };
          }
          const answer = await run();
          if (answer === undefined) return { commit: false, value: { state: 'ran' } };
          await q.query('UPDATE write_requests SET result = $2 WHERE key = $1', [key, answer]);
          return { commit: true, value: { state: 'ran' } };
        });
        if (ran) return ran;
      }
    },
  };
}
