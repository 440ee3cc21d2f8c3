// Reading a branch's pending tasks: whole, page by page, or (from a server that numbers its changes) only what
// changed since the cursor the last whole read gave.
import type { Task } from '../../tasks/task.js';
import type { DeltaCursor, FullListNeeded, TaskChanges } from '../../tasks/delta.js';
import type { Scope } from '../../tasks/scope.js';
import { TaskListData, taskOf } from './schema.js';
import { joinNotes, leftOutNote } from '../parse.js';
import type { Deadline } from '../../util/deadline.js';
import type { PendingResult } from '../source.js';
import { listEndNote, PageWalk } from '../list-cap.js';
import { LIST_PAGE, MAX_BRANCHES_SCANNED, MAX_LIST_PAGES, pendingOf } from './reading.js';
import { call, withFreshIds, withName, type Hub, type Resolved } from './hub.js';

/** What one listing reads: a branch, or a whole project. */
type Listed = { git_branch_id: string } | { project_id: string };

/** What a listing gave: its tasks, and where it stood when it was read from one branch of a numbering server. */
interface BranchList {
  tasks: Task[];
  /** The change sequence the first page was read at, when every page gave one and the branch was read to its end. */
  sequence?: number;
  /** Set when the listing was cut at its byte budget: the note that says so. */
  cut?: string;
}

/**
 * A branch's tasks (`{ git_branch_id }`) or a project's (`{ project_id }`), and the items of its answer left out
 * because they did not fit (added to `left`); each page's tasks kept through `walk`, the listing's byte budget.
 */
async function listBranch(
  h: Hub,
  read: Listed,
  deadline: Deadline,
  left: string[],
  walk: PageWalk,
): Promise<BranchList> {
  // Real agenthub filters by one status at a time: read the branch's tasks page by page, so open work listed after
  // a hundred finished tasks is not lost.
  const seen = new Map<string, Task>();
  let sequence: number | undefined;
  let numbered = true;
  let ended = false;
  for (let page = 0; page < MAX_LIST_PAGES && !ended; page++) {
    const args = { action: 'list', ...read, limit: LIST_PAGE, offset: page * LIST_PAGE };
    const answer = await call(h, 'manage_task', args, TaskListData, deadline);
    const { tasks } = answer;
    const before = seen.size;
    for (const t of walk.take(tasks.items)) seen.set(t.id, taskOf(t, { notes: false }));
    left.push(...tasks.left);
    // The first page's sequence: a write between pages is after it, so the next delta sends it again.
    if (answer.sequence === undefined) numbered = false;
    else sequence ??= answer.sequence;
    // A short page is the last one; a server that ignores offset repeats its first page and adds nothing.
    ended = tasks.items.length + tasks.left.length < LIST_PAGE || seen.size === before || walk.end !== 'complete';
  }
  const tasks = [...seen.values()];
  return numbered && ended && sequence !== undefined ? { tasks, sequence } : { tasks };
}

export async function tasksOf(
  h: Hub,
  r: Resolved,
  deadline: Deadline,
  all: boolean,
  left: string[] = [],
): Promise<BranchList> {
  const lists: BranchList[] = [];
  // One budget for the whole listing, however many branches it reads; only bytes can end it here.
  const cap = {
    pages: MAX_BRANCHES_SCANNED * MAX_LIST_PAGES,
    items: MAX_BRANCHES_SCANNED * MAX_LIST_PAGES * LIST_PAGE,
  };
  const walk = new PageWalk(cap, '');
  // A branch the server does not know: its project's tasks, where the server lists a project (the built-in store's
  // does), else its first branches'.
  const reads: Listed[] =
    r.branchId === undefined && r.projectId !== undefined && h.options.projectListing
      ? [{ project_id: r.projectId }]
      : r.branchIds.map((id) => ({ git_branch_id: id }));
  for (const read of reads) {
    if (walk.end !== 'complete') break;
    lists.push(await listBranch(h, read, deadline, left, walk));
  }
  const tasks = pendingOf(
    lists.flatMap((l) => l.tasks.map((t) => withName(h, t))),
    all,
  );
  const cut = listEndNote(walk.end, cap, tasks.length);
  if (cut) return { tasks, cut };
  const [only] = lists;
  return lists.length === 1 && only?.sequence !== undefined ? { tasks, sequence: only.sequence } : { tasks };
}
export const pendingListed = (h: Hub, r: Resolved, deadline: Deadline, left: string[]): Promise<BranchList> =>
  tasksOf(h, r, deadline, false, left);

/** Which listing a cursor counts for: the server that answered and the branch read. */
const basisPrefix = (server: string): string => `agenthub ${server} branch `;
const basisOf = (h: Hub, branchId: string): string => basisPrefix(h.toolSession.server()) + branchId;

/** The branch id of a cursor's listing read from `server`, or undefined for another server's or another shape. */
export function branchOfBasis(server: string, basis: string): string | undefined {
  const prefix = basisPrefix(server);
  return basis.startsWith(prefix) && basis.length > prefix.length ? basis.slice(prefix.length) : undefined;
}

/** The scope's pending tasks, with a cursor when one branch was read whole from a server that numbers its changes. */
export async function pending(h: Hub, scope: Scope, d: Deadline): Promise<PendingResult> {
  return withFreshIds(h, scope, d, async (r) => {
    const left: string[] = [];
    const listed = await pendingListed(h, r, d, left);
    // A project whose tasks are all for every branch reads alike on each: no branch's tasks to warn of.
    const others = r.branchId === undefined && listed.tasks.some((t) => !t.projectTask);
    const note = joinNotes(others || r.projectId === undefined ? r.note : undefined, leftOutNote(left), listed.cut);
    if (note) return { tasks: listed.tasks, note };
    const cursor = r.branchId &&
      listed.sequence !== undefined && { sequence: listed.sequence, basis: basisOf(h, r.branchId) };
    return cursor ? { tasks: listed.tasks, cursor } : { tasks: listed.tasks };
  });
}

/** What changed on the scope's branch after `since`: one `list since` call. */
export async function pendingSince(
  h: Hub,
  scope: Scope,
  since: DeltaCursor,
  d: Deadline,
): Promise<TaskChanges | FullListNeeded> {
  return withFreshIds(h, scope, d, async (r) => {
    if (!r.branchId || r.note || basisOf(h, r.branchId) !== since.basis)
      return { full: true, why: 'the branch is not the one the snapshot listed' };
    const args = { action: 'list', git_branch_id: r.branchId, since: since.sequence, limit: LIST_PAGE };
    const answer = await call(h, 'manage_task', args, TaskListData, d);
    if (answer.full !== false || answer.sequence === undefined)
      return { full: true, why: answer.why ?? 'the server answered no delta' };
    if (answer.tasks.left.length > 0) return { full: true, why: `a changed task did not fit: ${answer.tasks.left[0]}` };
    return {
      changed: answer.tasks.items.map((t) => withName(h, taskOf(t, { notes: false }))),
      removedIds: answer.deleted_task_ids ?? [],
      cursor: { sequence: answer.sequence, basis: since.basis },
    };
  });
}
