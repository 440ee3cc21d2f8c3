// The embedded store read in this process by a command that only reads (`taskhooks tasks list`): no MCP SDK, task
// server or cache loaded, and the answer the agenthub reader makes of what the store's server sends (reading.ts holds
// the rules both follow). Undefined where the store needs the full open (missing, another schema version).
import { scrubData } from '../../log/redact.js';
import { taskJson } from '../../server/agenthub/json.js';
import { readStore, type StoreReads } from '../../server/db/reader.js';
import { sortPending } from '../../tasks/delta.js';
import type { Scope } from '../../tasks/scope.js';
import { OPEN_STATUSES, type Task } from '../../tasks/task.js';
import { LIST_PAGE, MAX_BRANCHES_SCANNED, MAX_LIST_PAGES, projectWideNote, taskOf } from '../agenthub/reading.js';
import { firstTaskNote } from './notes.js';

export interface LocalListing {
  tasks: Task[];
  note?: string;
}

/**
 * The scope's pending tasks (every task with `all`) as `TaskSource.pending` (`listAll`) answers them: the scope's
 * branch, or the project's first branches with a note when the store does not know it, each read as far as a served
 * read pages, sorted, and registered secrets removed.
 */
export function readLocalTasks(file: string, scope: Scope, { all }: { all: boolean }): LocalListing | undefined {
  return readStore(file, (reads) => scrubData(listing(reads, scope, all)));
}

function listing(reads: StoreReads, scope: Scope, all: boolean): LocalListing {
  const project = reads.listProjects().find((p) => p.name === scope.project);
  if (!project) return all ? { tasks: [] } : { tasks: [], note: firstTaskNote(scope.project) };
  const branches = reads.listBranches(project.id);
  const match = scope.branch ? branches.find((b) => b.name === scope.branch) : undefined;
  const read = match ? [match] : branches.slice(0, MAX_BRANCHES_SCANNED);
  const tasks = read.flatMap((b) =>
    reads
      .listTasks({ gitBranchId: b.id, limit: LIST_PAGE * MAX_LIST_PAGES })
      .tasks.map((r) => ({ ...taskOf(taskJson(r), { notes: false }), branch: b.name })),
  );
  const kept = sortPending(all ? tasks : tasks.filter((t) => OPEN_STATUSES.includes(t.status)));
  return match || all ? { tasks: kept } : { tasks: kept, note: projectWideNote(scope.project, scope.branch) };
}
