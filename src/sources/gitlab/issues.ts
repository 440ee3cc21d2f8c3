// GitLab issues as taskhooks tasks: the REST shapes read (only the fields used) and what their labels mean. The
// label words are the GitHub source's (labels compare without case or punctuation, so `priority::high` is
// `priority: high`), with GitLab's scoped workflow labels for in progress and blocked.
import { z } from 'zod';
import type { Task } from '../../tasks/task.js';
import { readTrackerFields, type TrackerFieldNames } from '../issues/tracker-fields.js';
import { DEFAULT_LABEL_WORDS, openStatus, priorityOfLabels, type LabelWords } from '../github/words.js';
import { GITLAB_WORKFLOW } from './definition.js';

export const GITLAB_LABEL_WORDS: LabelWords = { ...DEFAULT_LABEL_WORDS, ...GITLAB_WORKFLOW };

/** Where a GitLab issue keeps the task's fields: the due date is a day, `due_date`. */
export const GITLAB_TASK_FIELDS = { dueDate: 'due_date' } as const satisfies TrackerFieldNames;

// Plain objects, not loose ones: what is read is kept between refreshes (refresh.ts), and only these fields are used.
const User = z.object({ id: z.number(), username: z.string() });

export const GitLabIssue = z.object({
  iid: z.number(),
  title: z.string(),
  description: z.nullish(z.string()),
  state: z.string(),
  labels: z.array(z.union([z.string(), z.object({ name: z.string() })])),
  assignees: z.nullish(z.array(User)),
  due_date: z.nullish(z.string()),
  milestone: z.nullish(z.object({ title: z.string() })),
  created_at: z.string(),
  updated_at: z.string(),
});
export type GitLabIssue = z.infer<typeof GitLabIssue>;

export const GitLabUser = User;
export type GitLabUser = z.infer<typeof User>;

/** A note, as `GET …/issues/:iid/notes` lists them; GitLab's own notes ("added label") are `system`. */
export const GitLabNote = z.looseObject({ body: z.string(), system: z.optional(z.boolean()) });

export const labelNames = (issue: GitLabIssue): string[] =>
  issue.labels.map((l) => (typeof l === 'string' ? l : l.name)).filter((n) => n !== '');

/**
 * The issue as a Task. Closed is done; open is in progress or blocked by its label, and in progress by whoever else
 * it is assigned to: the assignee is the claim.
 */
export function taskOfIssue(issue: GitLabIssue, words: LabelWords, viewer: string | undefined): Task {
  const labels = labelNames(issue);
  const assignees = (issue.assignees ?? []).map((a) => a.username);
  const claimant = viewer !== undefined && assignees.includes(viewer) ? undefined : assignees[0];
  const status = issue.state === 'closed' ? 'done' : openStatus(labels, words, claimant !== undefined);
  const task: Task = {
    id: String(issue.iid),
    title: issue.title,
    description: issue.description ?? '',
    status,
    priority: priorityOfLabels(labels, words) ?? 'medium',
    assignees,
    labels,
    dependencies: [],
    createdAt: issue.created_at,
    updatedAt: issue.updated_at,
    ...readTrackerFields(GITLAB_TASK_FIELDS, issue),
  };
  if (claimant !== undefined && issue.state === 'opened') task.claimedBy = claimant;
  return task;
}
