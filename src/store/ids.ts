// Sequential ids per project and artifact type (US-028, TASK-046) and reservations of ranges of them. Counters
// only move forward, inside the caller's write, so no id is ever handed out twice.
import { randomUUID } from '../util/crypto.js';
import { invalid } from './errors.js';
import type { Connection } from './connection.js';
import type { TaskDb } from './types.js';

const ARTIFACT_TYPE = /^[A-Z][A-Z0-9_]{0,15}$/;
export const ARTIFACT_ID = /^([A-Z][A-Z0-9_]{0,15})-(\d+)$/;
export const DEFAULT_RESERVATION_TTL_MS = 60 * 60 * 1000;

export function formatArtifactId(type: string, n: number): string {
  return `${type}-${String(n).padStart(3, '0')}`;
}

export function checkArtifactType(type: string): void {
  if (!ARTIFACT_TYPE.test(type))
    throw invalid(`Invalid artifact_type: '${type}'. Use upper-case letters and digits, e.g. US, SPEC, TASK`);
}

function lastAssigned(c: Connection, projectId: string, type: string): number {
  const row = c
    .statement('SELECT last_assigned FROM id_counters WHERE project_id = ? AND artifact_type = ?')
    .get(projectId, type) as { last_assigned: number } | undefined;
  return row?.last_assigned ?? 0;
}

export function checkReservation(type: string, count: number): void {
  checkArtifactType(type);
  if (!Number.isInteger(count) || count < 1 || count > 100)
    throw invalid(`Invalid count: ${count}. Allowed values: 1..100`);
}

/** Sets the counter, creating it when missing; call inside a write. */
export function setLastAssigned(c: Connection, projectId: string, type: string, n: number): void {
  c.statement(
    'INSERT INTO id_counters (project_id, artifact_type, last_assigned) VALUES (?, ?, ?) ON CONFLICT (project_id, artifact_type) DO UPDATE SET last_assigned = excluded.last_assigned',
  ).run(projectId, type, n);
}

/** Advances the counter by `count` and returns the first number handed out; call inside a write. */
export function advanceCounter(c: Connection, projectId: string, type: string, count: number): number {
  const first = lastAssigned(c, projectId, type) + 1;
  setLastAssigned(c, projectId, type, first + count - 1);
  return first;
}

/** An explicit `TASK-046` moves the TASK counter past 46, so a later generated id cannot collide; call inside a write. */
export function noteExplicitId(c: Connection, projectId: string, id: string): void {
  const m = ARTIFACT_ID.exec(id);
  if (!m?.[1] || !m[2]) return;
  const n = Number(m[2]);
  if (lastAssigned(c, projectId, m[1]) < n) setLastAssigned(c, projectId, m[1], n);
}

export function idsAndReservations(c: Connection): Pick<TaskDb, 'nextId' | 'reserveIds'> {
  return {
    nextId: (projectId, type) =>
      c.write(() => {
        checkArtifactType(type);
        return formatArtifactId(type, advanceCounter(c, projectId, type, 1));
      }),
    reserveIds: (projectId, type, count, ttlMs = DEFAULT_RESERVATION_TTL_MS) =>
      c.write(() => {
        checkReservation(type, count);
        const first = advanceCounter(c, projectId, type, count);
        const reservationId = randomUUID();
        const created = new Date();
        // Expired reservations only record numbers the counter has already passed: each new one clears them away.
        c.statement('DELETE FROM id_reservations WHERE expires_at < ?').run(created.toISOString());
        const expiresAt = new Date(created.getTime() + ttlMs).toISOString();
        c.statement(
          'INSERT INTO id_reservations (id, project_id, artifact_type, first_number, count, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ).run(reservationId, projectId, type, first, count, created.toISOString(), expiresAt);
        return {
          reservationId,
          reservedIds: Array.from({ length: count }, (_, i) => formatArtifactId(type, first + i)),
          expiresAt,
        };
      }),
  };
}
