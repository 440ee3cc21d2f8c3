// The dependencies migration 7 could not settle (see ../dependency-origins.ts), told once: the first process to open
// the store after the upgrade takes them in one statement, so of several starting together only one tells them.
import { type DoubtRow, doubtsLine } from '../dependency-origins.js';
import { all, type Q } from './query.js';

/** The line for the dependencies left to check that still stand, each then forgotten; undefined when none. */
export async function takeDependencyDoubts(q: Q): Promise<string | undefined> {
  const rows = await all<DoubtRow>(
    q,
    `WITH told AS (DELETE FROM dependency_doubts RETURNING *)
     SELECT p.name AS project, d.task_id, d.dependency, d.other_projects FROM told d
     JOIN projects p ON p.id = d.project_id
     JOIN tasks t ON t.project_id = d.project_id AND t.id = d.task_id AND t.dependencies ? d.dependency
     ORDER BY p.name, d.task_id, d.dependency`,
  );
  return doubtsLine(rows);
}
