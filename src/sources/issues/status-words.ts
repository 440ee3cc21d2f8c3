// Reading a source's own status words (its definition's `words.statuses`) on the hot path: the PostToolUse hook reads
// them in a tool's answer without loading an adapter.
import type { TaskStatus } from '../../tasks/task.js';

/** The status `word` means in `vocabulary`, or undefined when it is none of its words. */
export function statusFrom(vocabulary: Readonly<Record<string, TaskStatus>>, word: string): TaskStatus | undefined {
  return Object.hasOwn(vocabulary, word) ? vocabulary[word] : undefined;
}
