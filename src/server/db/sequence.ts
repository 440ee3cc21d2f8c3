// The change sequence on SQLite (see changes.ts), stamped inside each write's BEGIN IMMEDIATE, where SQLite's one
// writer at a time makes sequences commit in order. Read by changesSince (task-queries.ts).
import type Database from 'better-sqlite3';

/** How long a deleted task's tombstone is kept: a reader away longer reads the whole list. */
export const TOMBSTONE_HORIZON_MS = 7 * 24 * 60 * 60 * 1000;

/** A write's changed tasks: id → project id, gathered while it runs and stamped before it commits. */
export type Touched = Map<string, string>;

type Statement = (sql: string) => Database.Statement;

const ids = (touched: Touched): string => JSON.stringify([...touched.keys()]);

/** Moves the sequence on once for what this write changed, stamps it, and returns it; call inside the write. */
export function stampSequence(statement: Statement, touched: Touched): number {
  const { value: seq } = statement(
    "UPDATE store_meta SET value = value + 1 WHERE key = 'change_seq' RETURNING value",
  ).get() as { value: number };
  const list = ids(touched);
  const alive = new Set(
    (
      statement('UPDATE tasks SET change_seq = ? WHERE id IN (SELECT value FROM json_each(?)) RETURNING id').all(
        seq,
        list,
      ) as { id: string }[]
    ).map((r) => r.id),
  );
  // Ids are counted per project, so a deleted task's id may live again in another project: only the tombstone of
  // the project it lives in again is moot, and the other project's readers must still be told it left.
  statement(
    `DELETE FROM task_tombstones WHERE task_id IN (SELECT value FROM json_each(?))
     AND project_id = (SELECT project_id FROM tasks WHERE tasks.id = task_tombstones.task_id)`,
  ).run(JSON.stringify([...alive]));
  const at = new Date();
  const bury = statement(
    `INSERT INTO task_tombstones (task_id, project_id, seq, deleted_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (task_id, project_id) DO UPDATE SET seq = excluded.seq, deleted_at = excluded.deleted_at`,
  );
  let buried = false;
  for (const [id, projectId] of touched) {
    if (alive.has(id)) continue;
    bury.run(id, projectId, seq, at.toISOString());
    buried = true;
  }
  if (buried) pruneTombstones(statement, at);
  return seq;
}

/** Forgets tombstones past the horizon and moves the horizon up to the newest one forgotten. */
function pruneTombstones(statement: Statement, at: Date): void {
  const cutoff = new Date(at.getTime() - TOMBSTONE_HORIZON_MS).toISOString();
  const pruned = statement('DELETE FROM task_tombstones WHERE deleted_at < ? RETURNING seq').all(cutoff) as {
    seq: number;
  }[];
  if (pruned.length === 0) return;
  statement("UPDATE store_meta SET value = MAX(value, ?) WHERE key = 'change_horizon'").run(
    Math.max(...pruned.map((r) => r.seq)),
  );
}
