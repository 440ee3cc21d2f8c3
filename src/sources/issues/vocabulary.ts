// How taskhooks reads the status and priority words of servers it has no schema for (Backlog.md's configurable
// statuses, any MCP server's): the user's own mapping first, then the common words, ignoring case, spacing and
// punctuation.
import { isTaskPriority, type TaskPriority, type TaskStatus } from '../../tasks/task.js';

const normal = (word: string): string =>
  word
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim();

const STATUS_WORDS: Readonly<Record<TaskStatus, readonly string[]>> = {
  todo: ['to do', 'todo', 'pending', 'open', 'new', 'backlog', 'ready', 'not started', 'planned'],
  in_progress: ['in progress', 'doing', 'active', 'started', 'wip', 'working', 'ongoing'],
  blocked: ['blocked', 'on hold', 'waiting', 'deferred', 'paused'],
  review: ['review', 'in review', 'needs review', 'code review'],
  testing: ['testing', 'in testing', 'qa', 'verify', 'verifying'],
  done: ['done', 'completed', 'complete', 'closed', 'resolved', 'finished', 'shipped', 'merged'],
  cancelled: [
    'cancelled',
    'canceled',
    'wontfix',
    "won't do",
    "won't fix",
    'abandoned',
    'rejected',
    'obsolete',
    'dropped',
  ],
};

const PRIORITY_WORDS: Readonly<Record<string, TaskPriority>> = {
  highest: 'critical',
  blocker: 'critical',
  p0: 'critical',
  p1: 'high',
  normal: 'medium',
  p2: 'medium',
  lowest: 'low',
  minor: 'low',
  p3: 'low',
  p4: 'low',
};

const COMMON: ReadonlyMap<string, TaskStatus> = new Map(
  Object.entries(STATUS_WORDS).flatMap(([status, words]) => words.map((w) => [w, status as TaskStatus] as const)),
);

/**
 * The status each of a server's words means: `custom` (the user's `source.statuses`) over the common words. A word
 * neither knows is open work not yet started (todo): shown, rather than silently dropped.
 */
export function statusVocabulary(
  custom: Readonly<Record<string, TaskStatus>>,
): (word: string | null | undefined) => TaskStatus {
  const mine = new Map(Object.entries(custom).map(([word, status]) => [normal(word), status]));
  return (word) => {
    const key = normal(word ?? '');
    return mine.get(key) ?? COMMON.get(key) ?? 'todo';
  };
}

/**
 * A server's priority word as taskhooks' priority; medium when it has none or one taskhooks does not know. Numbers
 * are not read: which end is urgent differs from tool to tool.
 */
export function priorityFrom(word: unknown): TaskPriority {
  if (typeof word !== 'string') return 'medium';
  const key = normal(word);
  return isTaskPriority(key) ? key : (PRIORITY_WORDS[key] ?? 'medium');
}
