// Jira Cloud: the issues a JQL search finds, by default yours that are not done (JIRA_BASE_URL, JIRA_EMAIL,
// JIRA_API_TOKEN).
import type { TaskPriority, TaskStatus } from '../../tasks/task.js';
import { defineSource } from '../contract.js';

/** Status names that win over their category (source.statuses adds more): Jira files Blocked under "in progress". */
export const JIRA_STATUSES: Readonly<Record<string, TaskStatus>> = {
  'To Do': 'todo',
  'In Progress': 'in_progress',
  Done: 'done',
  Blocked: 'blocked',
  'On Hold': 'blocked',
  'In Review': 'review',
  "Won't Do": 'cancelled',
};

export const JIRA_PRIORITIES: Readonly<Record<string, TaskPriority>> = {
  Highest: 'critical',
  High: 'high',
  Medium: 'medium',
  Low: 'low',
  Lowest: 'low',
};

export const definition = defineSource({
  name: 'jira',
  summary: 'Jira Cloud issues from a JQL search, by default yours not done (JIRA_BASE_URL, JIRA_API_TOKEN)',
  config: (z) => ({
    /** The site, e.g. https://your-site.atlassian.net: the only host the token is sent to. */
    url: z.optional(z.url()),
    email: z.optional(z.string()),
    /** An API token (with email: Basic), or alone a bearer token. */
    token: z.optional(z.string()),
    /** A project key (ABC): scopes the search, and new issues are made there. */
    project: z.optional(z.string()),
    /** The search, replacing the default one. */
    jql: z.optional(z.string()),
    /** The issue type of new issues (Task by default). */
    issueType: z.optional(z.string()),
  }),
  secrets: ['token'],
  env: { JIRA_BASE_URL: 'url', JIRA_EMAIL: 'email', JIRA_API_TOKEN: 'token' },
  capabilities: {
    writes: ['start', 'done', 'block', 'reopen', 'note', 'add', 'edit'],
    claims: 'assignee',
    pagination: true,
  },
  words: { statuses: JIRA_STATUSES, priorities: JIRA_PRIORITIES },
  // Without a site there is nowhere to go: the embedded store stands in, and doctor says what is missing.
  plan: (_shared, { own }) => (typeof own.url === 'string' ? { kind: 'remote', servers: [own.url] } : undefined),
});
