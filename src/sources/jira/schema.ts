// Jira Cloud's answers as taskhooks reads them (REST v3): one zod schema per shape, the fields the adapter asks for.
import { z } from 'zod';
import { trackerFieldShape, type TrackerFieldNames } from '../issues/tracker-fields.js';

/** The declared fields Jira keeps, by their names among an issue's fields (`duedate`: `YYYY-MM-DD`, or null). */
export const JIRA_TASK_FIELDS = { dueDate: 'duedate' } as const satisfies TrackerFieldNames;

/** The fields every read asks for: what a Task is made of. */
export const JIRA_FIELDS = [
  'summary',
  'status',
  'priority',
  'assignee',
  'labels',
  'description',
  'created',
  'updated',
  ...Object.values(JIRA_TASK_FIELDS),
];

const StatusCategory = z.looseObject({ key: z.string() });

export const JiraIssue = z.looseObject({
  id: z.string(),
  key: z.string(),
  fields: z.looseObject({
    summary: z.string(),
    status: z.looseObject({ name: z.string(), statusCategory: StatusCategory }),
    priority: z.looseObject({ name: z.string() }).nullish(),
    assignee: z.looseObject({ accountId: z.string(), displayName: z.string().nullish() }).nullish(),
    labels: z.array(z.string()).nullish(),
    /** Atlassian Document Format. */
    description: z.unknown().optional(),
    created: z.string().nullish(),
    updated: z.string().nullish(),
    ...trackerFieldShape(JIRA_TASK_FIELDS),
    /** Asked for with one issue, never with a list: its notes. */
    comment: z.looseObject({ comments: z.array(z.looseObject({ body: z.unknown() })) }).nullish(),
  }),
});
export type JiraIssue = z.infer<typeof JiraIssue>;

/** A page of the JQL search, each issue kept as it came: one that does not read is skipped, not the page. */
export const SearchPage = z.looseObject({
  issues: z.array(z.unknown()).optional(),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().optional(),
});

export const Transitions = z.looseObject({
  transitions: z.array(
    z.looseObject({
      id: z.string(),
      name: z.string(),
      to: z.looseObject({ name: z.string(), statusCategory: StatusCategory }),
    }),
  ),
});
export type JiraTransition = z.infer<typeof Transitions>['transitions'][number];

export const Myself = z.looseObject({ accountId: z.string(), displayName: z.string().nullish() });

export const Created = z.looseObject({ id: z.string(), key: z.string() });

export const Comment = z.looseObject({ id: z.string() });
