// The change sequences on SQLite (see changes.ts), stamped inside each write's BEGIN IMMEDIATE, where SQLite's one
// writer at a time makes sequences commit in order. Read by changesSince (task-queries.ts).
import type { Statement as SqliteStatement } from '../sqlite/index.js';

/** How long a deleted task's tombstone is kept: a reader away longer reads the whole list. */
export const TOMBSTONE_HORIZON_MS = 7 * 24 * 60 * 60 * 1000;

/** A write's changes: project id → the ids of its tasks written, gathered while it runs and stamped before it commits. */
export type Written = Map<string, ReadonlySet<string>>;

/** Each project's change sequence after the write: project id → its number. */
export type Stamped = Map<string, number>;

/** Moves a project's number on by one (from 1 for a project never written), returning it. */
const NEXT_PROJECT_SEQUENCE = `INSERT INTO project_sequences (project_id, seq, horizon) VALUES (?, 1, 0)
  ON CONFLICT (project_id) DO UPDATE SET seq = project_sequences.seq + 1 RETURNING seq`;

type Statement = (sql: string) => SqliteStatement;

/**
 * Moves the store's sequence and each written project's on once, stamps the project's number on its rows and
 * tombstones, and returns the projects' numbers; call inside the write.
 */
export function stampSequence(statement: Statement, written: Written): Stamped {
  statement("UPDATE store_meta SET value = value + 1 WHERE key = 'change_seq'").run();
  const stamped: Stamped = new Map();
  const at = new Date();
  const bury = statement(
    `INSERT INTO task_tombstones (task_id, project_id, seq, deleted_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (task_id, project_id) DO UPDATE SET seq = excluded.seq, deleted_at = excluded.deleted_at`,
  );
  let buried = false;
  for (const [projectId, taskIds] of written) {
    const { seq } = statement(NEXT_PROJECT_SEQUENCE).get(projectId) as { seq: number };
    stamped.set(projectId, seq);
    if (taskIds.size === 0) continue;
    const alive = new Set(
      (
        statement(
          'UPDATE tasks SET change_seq = ? WHERE project_id = ? AND id IN (SELECT value FROM json_each(?)) RETURNING id',
        ).all(seq, projectId, JSON.stringify([...taskIds])) as { id: string }[]
      ).map((r) => r.id),
    );
    // Ids are counted per project, so a deleted task's id may be reused in another project. Only this project's
    // tombstone is dropped; readers of the other project must still be told that their task was deleted.
    statement('DELETE FROM task_tombstones WHERE project_id = ? AND task_id IN (SELECT value FROM json_each(?))').run(
      projectId,
      JSON.stringify([...alive]),
    );
    for (const id of taskIds) {
      if (alive.has(id)) continue;
      bury.run(id, projectId, seq, at.toISOString());
      buried = true;
    }
  }
  if (buried) pruneTombstones(statement, at);
  return stamped;
}

/** Forgets tombstones past the horizon and moves each project's horizon up to the newest of its own forgotten. */
function pruneTombstones(statement: Statement, at: Date): void {
  const cutoff = new Date(at.getTime() - TOMBSTONE_HORIZON_MS).toISOString();
  statement(
    `WITH pruned AS (SELECT project_id, MAX(seq) AS seq FROM task_tombstones WHERE deleted_at < ? GROUP BY project_id)
     UPDATE project_sequences SET horizon = MAX(horizon, pruned.seq) FROM pruned
     WHERE project_sequences.project_id = pruned.project_id`,
  ).run(cutoff);
  statement('DELETE FROM task_tombstones WHERE deleted_at < ?').run(cutoff);
}
