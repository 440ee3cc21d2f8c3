// Reading the change sequences on PostgreSQL: the store's own, a project's, and what changed after a reader's.
import { deltaOf, deltaRefusal, unnumbered, type SequenceState } from '../changes.js';
import type { TaskStore } from '../store.js';
import { orderOf } from '../task-queries.js';
import { toBranch, toProject, type BranchRow, type ProjectRow } from '../rows.js';
import { filterTerms } from './task-queries.js';
import type { PgConnection } from './connection.js';
import { all, one, type Q } from './query.js';
import { toTask, type TaskRow } from './tasks.js';

// No statement here is named (prepared once per connection): behind a pooler in transaction mode the next call may
// run on a backend that never saw it prepared, or one another client prepared it on.

/** A project's sequence and horizon; a project never written is at 0. */
async function sequenceState(q: Q, projectId: string): Promise<SequenceState> {
  const row = await one<{ seq: string; horizon: string }>(
    q,
    'SELECT seq, horizon FROM project_sequences WHERE project_id = $1',
    [projectId],
  );
  return { sequence: Number(row?.seq ?? 0), horizon: Number(row?.horizon ?? 0) };
}

// One statement: a kept listing's only round trip.
const LISTING_SCOPE = `WITH b AS (SELECT * FROM git_branches WHERE id = $1),
    p AS (SELECT * FROM projects WHERE id = $2 OR name = $2 ORDER BY (id = $2) DESC LIMIT 1)
  SELECT (SELECT row_to_json(b) FROM b) AS branch, (SELECT row_to_json(p) FROM p) AS project,
    (SELECT seq FROM project_sequences
      WHERE project_id = COALESCE((SELECT project_id FROM b), (SELECT id FROM p))) AS sequence`;

export function sequenceQueries(c: PgConnection): Pick<TaskStore, 'changeSequence' | 'listingScope' | 'changesSince'> {
  const { db } = c;
  return {
    changeSequence: async () =>
      Number((await one<{ value: string }>(db, "SELECT value FROM store_meta WHERE key = 'change_seq'"))?.value ?? 0),
    listingScope: async ({ gitBranchId, project }) => {
      const byProject = gitBranchId === undefined ? (project ?? null) : null;
      const { rows } = await db.query<{
        sequence: string | null;
        branch: BranchRow | null;
        project: ProjectRow | null;
      }>(LISTING_SCOPE, [gitBranchId ?? null, byProject]);
      const row = rows[0];
      return {
        ...((row?.branch || row?.project) && { sequence: Number(row.sequence ?? 0) }),
        ...(row?.branch && { branch: toBranch(row.branch) }),
        ...(row?.project && { project: toProject(row.project) }),
      };
    },
    // The counter is read first: every write numbered up to it has committed, so the rows read after it hold them
    // all. A write committed in between may show up too, and is sent again next time (its number is higher).
    changesSince: async (filter, since) => {
      const projectId = filter.gitBranchId
        ? (
            await one<{ project_id: string }>(db, 'SELECT project_id FROM git_branches WHERE id = $1', [
              filter.gitBranchId,
            ])
          )?.project_id
        : filter.projectId;
      if (projectId === undefined) return { full: true, why: unnumbered(filter) };
      const state = await sequenceState(db, projectId);
      const why = deltaRefusal(state, since);
      if (why) return { full: true, why };
      const { where, params } = filterTerms(filter);
      where.push(`change_seq > $${params.length + 1}`);
      const [changed, matching, tombstones] = [
        await all<{ id: string }>(db, 'SELECT id FROM tasks WHERE change_seq > $1 AND project_id = $2', [
          since,
          projectId,
        ]),
        await all<TaskRow>(db, `SELECT * FROM tasks WHERE ${where.join(' AND ')} ORDER BY ${orderOf(filter, 'seq')}`, [
          ...params,
          since,
        ]),
        await all<{ task_id: string }>(db, 'SELECT task_id FROM task_tombstones WHERE seq > $1 AND project_id = $2', [
          since,
          projectId,
        ]),
      ];
      return deltaOf(
        state,
        changed.map((r) => r.id),
        matching.map(toTask),
        tombstones.map((r) => r.task_id),
      );
    },
  };
}
