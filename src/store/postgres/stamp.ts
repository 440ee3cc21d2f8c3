// The change sequences on PostgreSQL (see ../changes.ts). Concurrent transactions commit in any order, so a reader
// must never see sequence N+1 committed while N is still open: it would move past N and never read it. Each write
// therefore takes its numbers last, first the store's by updating the one store_meta row, whose row lock it holds
// until it commits, then each project's; the next writer waits on that lock, so numbers commit in the order they were
// taken (and a project's row is never waited on while the store's is held). A reader that reads a counter before the
// rows has every write up to it. The lock is held only from the stamp to the commit, a few statements, which is cheap
// beside the pg_snapshot_xmin alternative: serving deltas only up to the oldest open transaction's number would need
// every writer's xid kept beside its number, and readers held back by one slow writer.
import { TOMBSTONE_HORIZON_MS, type Stamped, type Written } from '../sequence.js';
import { all, one, type Q } from './query.js';

/**
 * Moves the store's sequence and each written project's on once, stamps the project's number on its rows and
 * tombstones, and returns the projects' numbers; call last, before COMMIT.
 */
export async function stampSequence(q: Q, written: Written): Promise<Stamped> {
  await q.query("UPDATE store_meta SET value = value + 1 WHERE key = 'change_seq'");
  const stamped: Stamped = new Map();
  const at = new Date();
  let buried = false;
  for (const [projectId, taskIds] of written) {
    const row = await one<{ seq: string }>(
      q,
      `INSERT INTO project_sequences (project_id, seq, horizon) VALUES ($1, 1, 0)
       ON CONFLICT (project_id) DO UPDATE SET seq = project_sequences.seq + 1 RETURNING seq`,
      [projectId],
    );
    const seq = Number(row?.seq);
    stamped.set(projectId, seq);
    const ids = [...taskIds];
    if (ids.length === 0) continue;
    const alive = new Set(
      (
        await all<{ id: string }>(
          q,
          'UPDATE tasks SET change_seq = $1 WHERE project_id = $2 AND id = ANY($3::text[]) RETURNING id',
          [seq, projectId, ids],
        )
      ).map((r) => r.id),
    );
    // A task that exists again no longer needs this project's tombstone; other projects keep theirs, since ids are
    // counted per project.
    if (alive.size > 0)
      await q.query('DELETE FROM task_tombstones WHERE project_id = $1 AND task_id = ANY($2::text[])', [
        projectId,
        [...alive],
      ]);
    const gone = ids.filter((id) => !alive.has(id));
    if (gone.length === 0) continue;
    await q.query(
      `INSERT INTO task_tombstones (task_id, project_id, seq, deleted_at)
       SELECT id, $2, $3, $4 FROM unnest($1::text[]) AS id
       ON CONFLICT (task_id, project_id) DO UPDATE SET seq = excluded.seq, deleted_at = excluded.deleted_at`,
      [gone, projectId, seq, at.toISOString()],
    );
    buried = true;
  }
  // Tombstones past the horizon are forgotten, and each project's horizon moves up to the newest of its own forgotten.
  if (buried)
    await q.query(
      `WITH pruned AS (DELETE FROM task_tombstones WHERE deleted_at < $1 RETURNING project_id, seq)
       UPDATE project_sequences s SET horizon = GREATEST(s.horizon, p.seq)
       FROM (SELECT project_id, MAX(seq) AS seq FROM pruned GROUP BY project_id) p WHERE s.project_id = p.project_id`,
      [new Date(at.getTime() - TOMBSTONE_HORIZON_MS).toISOString()],
    );
  return stamped;
}
