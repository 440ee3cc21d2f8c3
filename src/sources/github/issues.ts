// GitHub issues as taskhooks tasks: the REST shapes read (only the fields used), and the words labels
// carry for priority, in progress and blocked.
import { z } from 'zod';
import type { Task } from '../../tasks/task.js';
import { openStatus, priorityOfLabels, type LabelWords } from './words.js';

const Login = z.looseObject({ login: z.string() });

export const GitHubIssue = z.looseObject({
  number: z.number(),
  title: z.string(),
  body: z.nullish(z.string()),
  state: z.string(),
  state_reason: z.nullish(z.string()),
  labels: z.array(z.union([z.string(), z.looseObject({ name: z.nullish(z.string()) })])),
  assignees: z.nullish(z.array(Login)),
  assignee: z.nullish(Login),
  pull_request: z.optional(z.unknown()),
  created_at: z.string(),
  updated_at: z.string(),
});
export type GitHubIssue = z.infer<typeof GitHubIssue>;

export const GitHubUser = z.looseObject({ login: z.string() });

/** A comment, as `GET …/issues/{n}/comments` lists them: on GitHub a note is a comment. */
export const GitHubComment = z.looseObject({ body: z.nullish(z.string()) });

const labelNames = (issue: GitHubIssue): string[] =>
  issue.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter((n) => n !== '');

/**
 * The issue as a Task. Closed is done (cancelled when closed as not planned); open is in progress or blocked by its
 * label, and in progress by whoever else it is assigned to: on GitHub the assignee is the claim.
 */
export function taskOfIssue(issue: GitHubIssue, words: LabelWords, viewer: string | undefined): Task {
  const labels = labelNames(issue);
  const priority = priorityOfLabels(labels, words);
  const assignees = (issue.assignees ?? (issue.assignee ? [issue.assignee] : [])).map((a) => a.login);
  const claimant = viewer !== undefined && assignees.includes(viewer) ? undefined : assignees[0];
  const status: Task['status'] =
    issue.state === 'closed'
      ? issue.state_reason === 'not_planned'
        ? 'cancelled'
        : 'done'
      : openStatus(labels, words, claimant !== undefined);
  const task: Task = {
    id: String(issue.number),
    title: issue.title,
    description: issue.body ?? '',
    status,
    priority: priority ?? 'medium',
    assignees,
    labels,
    dependencies: [],
    createdAt: issue.created_at,
    updatedAt: issue.updated_at,
  };
  // Someone else's issue is theirs while it stays assigned: the context says "in progress by sam".
  if (claimant !== undefined && issue.state === 'open') task.claimedBy = claimant;
  return task;
}

/**
 * The issue a branch is for, by the number in its name: `12-fix-login`, `fix/12-login`, `issue-12`, `gh-12`,
 * `feature/issue_12`. undefined when the name holds no such number.
 */
export function issueOfBranch(branch: string | null | undefined): number | undefined {
  if (!branch) return undefined;
  const last = branch.split('/').pop() ?? '';
  const m = /^(?:(?:issue|issues|gh|bug|fix|feat|feature)[-_]?)?#?(\d{1,9})(?:[-_.]|$)/i.exec(last);
  const n = m ? Number(m[1]) : Number.NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
