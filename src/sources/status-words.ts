// How the tool families other than agenthub word a status, apart from the adapters (which load the full zod): the
// PostToolUse hook reads the same words in a tool's answer on the hot path.
import type { TaskStatus } from '../tasks/task.js';

/** The tracker's statuses, and the store's own words, which it accepts too. */
export const FROM_TRACKER: Readonly<Record<string, TaskStatus>> = {
  pending: 'todo',
  todo: 'todo',
  in_progress: 'in_progress',
  blocked: 'blocked',
  review: 'review',
  testing: 'testing',
  completed: 'done',
  done: 'done',
  cancelled: 'cancelled',
};

/** Task Master's statuses; deferred work is still open, but never the next task, so it reads as blocked. */
export const FROM_TASKMASTER: Readonly<Record<string, TaskStatus>> = {
  pending: 'todo',
  'in-progress': 'in_progress',
  review: 'review',
  blocked: 'blocked',
  deferred: 'blocked',
  done: 'done',
  cancelled: 'cancelled',
};

/** The status `word` means in `vocabulary`, or undefined when it is none of its words. */
export function statusFrom(vocabulary: Readonly<Record<string, TaskStatus>>, word: string): TaskStatus | undefined {
  return Object.hasOwn(vocabulary, word) ? vocabulary[word] : undefined;
}
