// What the issue trackers (Linear, Jira, Azure DevOps) share once their API has answered: reading every page of a list
// whose items are read one by one, the pending list with the branch's issue (its key in the branch name) first, and
// the TaskSource their own operations make.
import type { z } from 'zod';
import { isTaskSourceError } from '../../errors/task-source.js';
import { comparePending, OPEN_STATUSES, type Task, type TaskStatus } from '../../tasks/task.js';
import type { Deadline } from '../../util/deadline.js';
import { issueKeysIn } from '../issues/issue-keys.js';
import { listEndNote, PageWalk, type ListCap, type ListEnd } from '../list-cap.js';
import { joinNotes, leftOutNote, lenientList } from '../parse.js';
import type { SourceAdapter } from '../plan.js';
import {
  deadlineOf,
  type NewTaskInput,
  type PendingResult,
  type Scope,
  type SourceCallOptions,
  type StatusChange,
  type TaskEdit,
  type TaskSource,
} from '../source.js';

export interface IssueList {
  tasks: Task[];
  skipped: string[];
  /** Why the list ended: read whole, or cut at a cap or a loop (and how the note says so). */
  end: ListEnd;
  cap: ListCap;
}

/**
 * Every page, from the first (`cursor` undefined) until one names no next page, one already read, or the cap is
 * reached. Each item is read by itself: an unreadable one is left out and named, the rest kept.
 */
export async function readPages<S extends z.ZodType>(
  page: (cursor: string | undefined) => Promise<{ items: readonly unknown[]; next: string | null | undefined }>,
  item: S,
  toTask: (item: z.output<S>) => Task,
  cap: ListCap,
): Promise<IssueList> {
  const walk = new PageWalk(cap, '');
  const list: IssueList = { tasks: [], skipped: [], end: 'complete', cap };
  let cursor: string | undefined;
  for (;;) {
    const { items, next } = await page(cursor);
    const read = lenientList(item).parse(walk.take(items));
    list.tasks.push(...read.items.map(toTask));
    list.skipped.push(...read.left);
    if (!walk.follow(next)) return { ...list, end: walk.end };
    cursor = next;
  }
}

/**
 * The pending list, most urgent first, with the issue the branch's name carries (ENG-123) first and next when it is
 * open, looked up when the list does not hold it; a key the tracker does not know is no issue.
 */
async function pendingWithBranch(
  scope: Scope,
  list: IssueList,
  opts: Pick<IssueTracker, 'prefixes' | 'branchKeys'> & { lookup: (key: string) => Promise<Task> },
): Promise<PendingResult> {
  let mine: Task | undefined;
  for (const key of opts.branchKeys?.(scope.branch) ?? issueKeysIn(scope.branch, opts.prefixes)) {
    mine = list.tasks.find((t) => t.id === key);
    if (mine) break;
    try {
      mine = await opts.lookup(key);
      break;
    } catch (err) {
      if (!isTaskSourceError(err) || err.kind !== 'not_found') throw err;
    }
  }
  const tasks = list.tasks.filter((t) => t !== mine).sort(comparePending);
  let next: Task | null = tasks[0] ?? null;
  if (mine && OPEN_STATUSES.includes(mine.status)) {
    mine.branch = scope.branch;
    tasks.unshift(mine);
    next = mine;
  }
  const note = joinNotes(leftOutNote(list.skipped), listEndNote(list.end, list.cap, tasks.length));
  return { tasks, next, ...(note ? { note } : {}) };
}

/** What an issue tracker is to taskhooks: its API calls and the key prefixes a branch name may carry. */
export interface IssueTracker {
  adapter: SourceAdapter;
  /** The API calls it relies on, which doctor checks and `listTools` answers. */
  calls: string[];
  prefixes: readonly string[];
  /** The ids a branch name carries, when they are not keys (ENG-123): Azure DevOps numbers its work items. */
  branchKeys?: ((branch: string) => string[]) | undefined;
}

/** What a tracker's operations share: where they go, and how long a call may take when its caller names no deadline. */
export interface TrackerContext {
  server: string;
  opts: { defaultDeadlineMs: number };
}

/** A tracker's own operations, each on its context `C` (its API and options) by one deadline. */
export interface IssueTrackerOps<C> {
  list(c: C, d: Deadline): Promise<IssueList>;
  /** One issue by id or key. */
  issue(c: C, id: string, d: Deadline): Promise<Task>;
  setStatus(c: C, id: string, status: TaskStatus, change: StatusChange, d: Deadline): Promise<Task>;
  create(c: C, input: NewTaskInput, d: Deadline): Promise<Task>;
  edit(c: C, id: string, change: TaskEdit, d: Deadline): Promise<Task>;
  addNote(c: C, id: string, text: string, d: Deadline): Promise<Task>;
  /** The claim is the assignee: the credential's own user. */
  claim(c: C, id: string, d: Deadline): Promise<Task>;
}

/** A tracker's `TaskSource` (Linear, Jira, Azure DevOps): the reads alike, the writes its own, every call by its deadline. */
export function issueTrackerSource<C extends TrackerContext>(
  c: C,
  t: IssueTracker,
  ops: IssueTrackerOps<C>,
): TaskSource {
  const deadline = (o: SourceCallOptions = {}): Deadline => deadlineOf(o, c.opts.defaultDeadlineMs);
  async function pending(scope: Scope, o?: SourceCallOptions): Promise<PendingResult> {
    const d = deadline(o);
    const lookup = (key: string) => ops.issue(c, key, d);
    return pendingWithBranch(scope, await ops.list(c, d), { ...t, lookup });
  }
  return {
    adapter: t.adapter,
    requiredTools: t.calls,
    server: () => c.server,
    pending,
    next: async (scope, o) => (await pending(scope, o)).next ?? null,
    get: (id, o) => ops.issue(c, id, deadline(o)),
    setStatus: (id, status, o = {}) => ops.setStatus(c, id, status, o, deadline(o)),
    create: (_scope, input, o) => ops.create(c, input, deadline(o)),
    edit: (id, change, _scope, o) => ops.edit(c, id, change, deadline(o)),
    addNote: (id, text, o) => ops.addNote(c, id, text, deadline(o)),
    claim: (id, _claim, o) => ops.claim(c, id, deadline(o)),
    listTools: async () => t.calls,
    close: async () => {},
  };
}
