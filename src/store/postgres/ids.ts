// Id counters and reservations on PostgreSQL: every move of a counter is one upsert whose row lock, held to the end
// of the transaction, orders concurrent callers.
import { randomUUID } from 'node:crypto';
import {
  ARTIFACT_ID,
  DEFAULT_RESERVATION_TTL_MS,
  checkArtifactType,
  checkReservation,
  formatArtifactId,
} from '../ids.js';
import type { TaskStore } from '../store.js';
import type { PgConnection } from './connection.js';
import { one, type Q } from './query.js';

// Each caller reads the value its own update produced (RETURNING), so no two callers get the same numbers.
export async function advanceCounter(q: Q, projectId: string, type: string, count: number): Promise<number> {
  const row = await one<{ last_assigned: number }>(
    q,
    `INSERT INTO id_counters (project_id, artifact_type, last_assigned) VALUES ($1, $2, $3)
     ON CONFLICT (project_id, artifact_type) DO UPDATE SET last_assigned = id_counters.last_assigned + excluded.last_assigned
     RETURNING last_assigned`,
    [projectId, type, count],
  );
  return (row?.last_assigned ?? count) - count + 1;
}

/** Moves the counter to `n` unless it is past it already (GREATEST): counters never go back. */
export async function raiseCounter(q: Q, projectId: string, type: string, n: number): Promise<void> {
  await q.query(
    `INSERT INTO id_counters (project_id, artifact_type, last_assigned) VALUES ($1, $2, $3)
     ON CONFLICT (project_id, artifact_type) DO UPDATE SET last_assigned = GREATEST(id_counters.last_assigned, excluded.last_assigned)`,
    [projectId, type, n],
  );
}

/** An explicit `TASK-046` moves the counter past 46, never back. */
export async function noteExplicitId(q: Q, projectId: string, id: string): Promise<void> {
  const m = ARTIFACT_ID.exec(id);
  if (m?.[1] && m[2]) await raiseCounter(q, projectId, m[1], Number(m[2]));
}

export function idsAndReservations(c: PgConnection): Pick<TaskStore, 'nextId' | 'reserveIds'> {
  return {
    nextId: async (projectId, type) => {
      checkArtifactType(type);
      return formatArtifactId(type, await advanceCounter(c.db, projectId, type, 1));
    },
    reserveIds: (projectId, type, count, ttlMs = DEFAULT_RESERVATION_TTL_MS) =>
      c.tx(async (q) => {
        checkReservation(type, count);
        const first = await advanceCounter(q, projectId, type, count);
        const created = new Date();
        await q.query('DELETE FROM id_reservations WHERE expires_at < $1', [created.toISOString()]);
        const reservationId = randomUUID();
        const expiresAt = new Date(created.getTime() + ttlMs).toISOString();
        await q.query(
          'INSERT INTO id_reservations (id, project_id, artifact_type, first_number, count, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [reservationId, projectId, type, first, count, created.toISOString(), expiresAt],
        );
        return {
          reservationId,
          reservedIds: Array.from({ length: count }, (_, i) => formatArtifactId(type, first + i)),
          expiresAt,
        };
      }),
  };
}
