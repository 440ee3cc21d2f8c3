// Linear: the issues assigned to you, through its GraphQL API (LINEAR_API_KEY).
import type { TaskStatus } from '../../tasks/task.js';
import { defineSource } from '../contract.js';

export const LINEAR_API_URL = 'https://api.linear.app/graphql';

/** Linear's workflow state types (each team names its states as it likes; their type is fixed). */
export const LINEAR_STATE_TYPES: Readonly<Record<string, TaskStatus>> = {
  triage: 'todo',
  backlog: 'todo',
  unstarted: 'todo',
  started: 'in_progress',
  completed: 'done',
  canceled: 'cancelled',
};

export const definition = defineSource({
  name: 'linear',
  summary: 'the Linear issues assigned to you (LINEAR_API_KEY)',
  config: (z) => ({
    /** A personal API key, sent as it is. */
    apiKey: z.optional(z.string()),
    /** An OAuth access token, sent as a bearer token. */
    oauthToken: z.optional(z.string()),
    /** The GraphQL endpoint the key is sent to. */
    url: z.optional(z.url()),
    /** A team key (ENG): only its issues are read, and new ones are made there. */
    team: z.optional(z.string()),
    /** A project's name: only its issues are read. */
    project: z.optional(z.string()),
  }),
  secrets: ['apiKey', 'oauthToken'],
  env: { LINEAR_API_KEY: 'apiKey', LINEAR_API_URL: 'url' },
  capabilities: {
    writes: ['start', 'done', 'reopen', 'note', 'add', 'edit'],
    claims: 'assignee',
    pagination: true,
  },
  words: {
    statuses: LINEAR_STATE_TYPES,
    priorities: {
      Urgent: 'urgent',
      High: 'high',
      Medium: 'medium',
      Normal: 'medium',
      Low: 'low',
      'No priority': 'low',
    },
  },
  plan: (_shared, { own }) => ({ kind: 'remote', servers: [typeof own.url === 'string' ? own.url : LINEAR_API_URL] }),
});
