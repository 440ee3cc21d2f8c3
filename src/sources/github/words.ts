// What a repository's labels mean, without zod: settings resolve these on every hook run.
import type { TaskPriority } from '../../tasks/task.js';

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
  inProgress: 'in progress',
  blocked: 'blocked',
};

/** Labels compare as people write them: `Priority:High`, `priority/high` and `priority - high` are one label. */
export const labelKey = (label: string): string =>
  label
    .toLowerCase()
    .replace(/[\s:/_-]+/g, ' ')
    .trim();
