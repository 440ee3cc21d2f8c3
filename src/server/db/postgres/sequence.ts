// Reading the change sequence on PostgreSQL: the counter, and what changed after a reader's sequence.
import { deltaOf, deltaRefusal, type SequenceState } from '../changes.js';
import type { TaskStore } from '../store.js';
import { orderOf } from '../task-queries.js';
import { toBranch, toProject, type BranchRow, type ProjectRow } from '../rows.js';
import { filterTerms } from './task-queries.js';
import type { PgConnection } from './connection.js';
import { all, one, type Q } from './query.js';
import { toTask, type TaskRow } from './tasks.js';

// No statement here is named (prepared once per connection): behind a pooler in transaction mode the next call may
// run on a backend that never saw it prepared, or one another client prepared it on.
async function sequenceState(q: Q): Promise<SequenceState> {
  const { rows } = await q.query<{ key: string; value: string }>(
    "SELECT key, value FROM store_meta WHERE key IN ('change_seq', 'change_horizon')",
  );
  const of = (key: string): number => Number(rows.find((r) => r.key === key)?.value ?? 0);
  return { sequence: of('change_seq'), horizon: of('change_horizon') };
}

// One statement: a kept listing's only round trip.
const LISTING_SCOPE = `SELECT (SELECT value FROM store_meta WHERE key = 'change_seq') AS sequence,
    (SELECT row_to_json(b) FROM git_branches b WHERE b.id = $1) AS branch,
    (SELECT row_to_json(p) FROM (SELECT * FROM projects WHERE id = $2 OR name = $2 ORDER BY (id = $2) DESC LIMIT 1) p)
      AS project`;

export function sequenceQueries(c: PgConnection): Pick<TaskStore, 'changeSequence' | 'listingScope' | 'changesSince'> {
  const { db } = c;
  return {
    changeSequence: async () => (await sequenceState(db)).sequence,
    listingScope: async ({ gitBranchId, project }) => {
      const byProject = gitBranchId === undefined ? (project ?? null) : null;
      const { rows } = await db.query<{ sequence: string; branch: BranchRow | null; project: ProjectRow | null }>(
        LISTING_SCOPE,
        [gitBranchId ?? null, byProject],
      );
      const row = rows[0];
      return {
        sequence: Number(row?.sequence ?? 0),
        ...(row?.branch && { branch: toBranch(row.branch) }),
        ...(row?.project && { project: toProject(row.project) }),
      };
    },
    // The counter is read first: every write numbered up to it has committed, so the rows read after it hold them
    // all. A write committed in between may show up too, and is sent again next time (its number is higher).
    changesSince: async (filter, since) => {
      const state = await sequenceState(db);
      const why = deltaRefusal(state, since);
      if (why) return { full: true, sequence: state.sequence, why };
      const projectId = filter.gitBranchId
        ? (
            await one<{ project_id: string }>(db, 'SELECT project_id FROM git_branches WHERE id = $1', [
              filter.gitBranchId,
            ])
          )?.project_id
        : filter.projectId;
      const scope = projectId === undefined ? '' : ' AND project_id = $2';
      const scoped = projectId === undefined ? [since] : [since, projectId];
      const { where, params } = filterTerms(filter);
      where.push(`change_seq > $${params.length + 1}`);
      const [changed, matching, tombstones] = [
        await all<{ id: string }>(db, `SELECT id FROM tasks WHERE change_seq > $1${scope}`, scoped),
        await all<TaskRow>(db, `SELECT * FROM tasks WHERE ${where.join(' AND ')} ORDER BY ${orderOf(filter, 'seq')}`, [
          ...params,
          since,
        ]),
        await all<{ task_id: string }>(db, `SELECT task_id FROM task_tombstones WHERE seq > $1${scope}`, scoped),
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
