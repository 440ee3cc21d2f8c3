// The change sequence on PostgreSQL (see ../changes.ts). Concurrent transactions commit in any order, so a reader
// must never see sequence N+1 committed while N is still open: it would move past N and never read it. Each write
// therefore takes its number last, by updating the one store_meta row, whose row lock it holds until it commits;
// the next writer waits on that lock, so numbers commit in the order they were taken. A reader that reads the
// counter before the rows has every write up to it. The lock is held only from the stamp to the commit, a few
// statements, which is cheap beside the pg_snapshot_xmin alternative: serving deltas only up to the oldest open
// transaction's number would need every writer's xid kept beside its number, and readers held back by one slow writer.
import { TOMBSTONE_HORIZON_MS, type Touched } from '../sequence.js';
import { all, one, type Q } from './query.js';

/** Moves the sequence on once for what this transaction changed, stamps it, and returns it; call last, before COMMIT. */
export async function stampSequence(q: Q, touched: Touched): Promise<number> {
  const row = await one<{ value: string }>(
    q,
    "UPDATE store_meta SET value = value + 1 WHERE key = 'change_seq' RETURNING value",
  );
  const seq = Number(row?.value);
  const ids = [...touched.keys()];
  const alive = new Set(
    (
      await all<{ id: string }>(q, 'UPDATE tasks SET change_seq = $1 WHERE id = ANY($2::text[]) RETURNING id', [
        seq,
        ids,
      ])
    ).map((r) => r.id),
  );
  // Only the tombstone of the project a task lives in again is moot (ids are counted per project).
  if (alive.size > 0)
    await q.query(
      `DELETE FROM task_tombstones d USING tasks t
       WHERE t.id = ANY($1::text[]) AND d.task_id = t.id AND d.project_id = t.project_id`,
      [[...alive]],
    );
  const gone = ids.filter((id) => !alive.has(id));
  if (gone.length === 0) return seq;
  const at = new Date();
  await q.query(
    `INSERT INTO task_tombstones (task_id, project_id, seq, deleted_at)
     SELECT id, project_id, $3, $4 FROM unnest($1::text[], $2::text[]) AS t(id, project_id)
     ON CONFLICT (task_id, project_id) DO UPDATE SET seq = excluded.seq, deleted_at = excluded.deleted_at`,
    [gone, gone.map((id) => touched.get(id)), seq, at.toISOString()],
  );
  // Tombstones past the horizon are forgotten, and the horizon moves up to the newest one forgotten.
  const cutoff = new Date(at.getTime() - TOMBSTONE_HORIZON_MS).toISOString();
  await q.query(
    `WITH pruned AS (DELETE FROM task_tombstones WHERE deleted_at < $1 RETURNING seq)
     UPDATE store_meta SET value = GREATEST(value, (SELECT MAX(seq) FROM pruned))
     WHERE key = 'change_horizon' AND EXISTS (SELECT 1 FROM pruned)`,
    [cutoff],
  );
  return seq;
}
