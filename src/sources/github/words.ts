// What a repository's labels mean, without zod: settings resolve these on every hook run.
import type { TaskPriority, TaskStatus } from '../../tasks/task.js';
import { PLAIN_WORKFLOW } from '../issues/issue-settings.js';

/** What the labels of a repository mean; the defaults are the words most repositories use. */
export interface LabelWords {
  /** A label (compared without case, spacing or punctuation) and the priority it gives. */
  priority: Readonly<Record<string, TaskPriority>>;
  inProgress: string;
  blocked: string;
}

export const DEFAULT_LABEL_WORDS: LabelWords = {
  priority: {
    'priority: critical': 'critical',
    'priority: high': 'high',
    'priority: medium': 'medium',
    'priority: low': 'low',
    P0: 'critical',
    P1: 'high',
    P2: 'medium',
    P3: 'low',
  },
  ...PLAIN_WORKFLOW,
};

/** Labels compare as people write them: `Priority:High`, `priority/high` and `priority - high` are one label. */
export const labelKey = (label: string): string =>
  label
    .toLowerCase()
    .replace(/[\s:/_-]+/g, ' ')
    .trim();

const RANK: Record<TaskPriority, number> = { critical: 0, urgent: 1, high: 2, medium: 3, low: 4 };

/** The highest priority the labels give, or undefined when none of them names one. */
export function priorityOfLabels(labels: readonly string[], words: LabelWords): TaskPriority | undefined {
  const priorities = new Map(Object.entries(words.priority).map(([label, p]) => [labelKey(label), p]));
  return labels
    .map((l) => priorities.get(labelKey(l)))
    .filter((p): p is TaskPriority => p !== undefined)
    .sort((a, b) => RANK[a] - RANK[b])[0];
}

/** The priority label to put on a new issue, when the repository's words have one for it. */
export function labelOfPriority(priority: TaskPriority | undefined, words: LabelWords): string | undefined {
  if (!priority) return undefined;
  return Object.entries(words.priority).find(([, p]) => p === priority)?.[0];
}

/**
 * An open issue's status: blocked or in progress by its label, in progress while someone else holds it (the assignee
 * is the claim), else to do.
 */
export function openStatus(labels: readonly string[], words: LabelWords, claimed: boolean): TaskStatus {
  const keys = new Set(labels.map(labelKey));
  if (keys.has(labelKey(words.blocked))) return 'blocked';
  return keys.has(labelKey(words.inProgress)) || claimed ? 'in_progress' : 'todo';
}
