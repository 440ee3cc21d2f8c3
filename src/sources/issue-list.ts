// What the issue trackers (Linear, Jira) share once their API has answered: reading every page of a list whose
// items are read one by one, and the pending list with the branch's issue (its key in the branch name) first.
import type { z } from 'zod';
import { isTaskSourceError } from '../errors/task-source.js';
import { comparePending, OPEN_STATUSES, type Task } from '../tasks/task.js';
import type { Deadline } from '../util/deadline.js';
import { issueKeysIn } from './issue-keys.js';
import { listEndNote, PageWalk, type ListCap, type ListEnd } from './list-cap.js';
import { joinNotes, leftOutNote, lenientList } from './parse.js';
import type { SourceAdapter } from './plan.js';
import { deadlineOf, type PendingResult, type Scope, type SourceCallOptions, type TaskSource } from './source.js';

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
  opts: { prefixes: readonly string[]; lookup: (key: string) => Promise<Task> },
): Promise<PendingResult> {
  let mine: Task | undefined;
  for (const key of issueKeysIn(scope.branch, opts.prefixes)) {
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

/** What a tracker's reads are made of: its list, one issue by id or key, and the key prefixes a branch name may carry. */
export interface TrackerReads {
  adapter: SourceAdapter;
  /** The API calls it relies on, which doctor checks and `listTools` answers. */
  calls: string[];
  server: string;
  defaultDeadlineMs: number;
  prefixes: readonly string[];
  list: (d: Deadline) => Promise<IssueList>;
  issue: (id: string, d: Deadline) => Promise<Task>;
}

type ReadPart = 'adapter' | 'requiredTools' | 'server' | 'pending' | 'next' | 'get' | 'listTools' | 'close';

/** The part of a tracker's `TaskSource` that only reads, alike for Linear and Jira; their writes differ. */
export function trackerReads(t: TrackerReads): Pick<TaskSource, ReadPart> {
  const deadline = (o: SourceCallOptions = {}): Deadline => deadlineOf(o, t.defaultDeadlineMs);
  async function pending(scope: Scope, o?: SourceCallOptions): Promise<PendingResult> {
    const d = deadline(o);
    return pendingWithBranch(scope, await t.list(d), { prefixes: t.prefixes, lookup: (key) => t.issue(key, d) });
  }
  return {
    adapter: t.adapter,
    requiredTools: t.calls,
    server: () => t.server,
    pending,
    async next(scope, o) {
      return (await pending(scope, o)).next ?? null;
    },
    get: (id, o) => t.issue(id, deadline(o)),
    async listTools() {
      return t.calls;
    },
    async close() {},
  };
}
