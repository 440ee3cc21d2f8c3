// Linear's answers as taskhooks reads them: one zod schema per shape, each the fields the queries in ./queries.ts
// select (Linear's schema: https://studio.apollographql.com/public/Linear-API).
import { z } from 'zod';
import { trackerFieldShape } from '../issues/tracker-fields.js';
import { LINEAR_TASK_FIELDS } from './queries.js';

export const GraphqlAnswer = z.looseObject({
  data: z.unknown().optional(),
  errors: z
    .array(
      z.looseObject({
        message: z.string(),
        extensions: z
          .looseObject({ code: z.string().optional(), userPresentableMessage: z.string().optional() })
          .optional(),
      }),
    )
    .optional(),
});
export type GraphqlAnswer = z.infer<typeof GraphqlAnswer>;

const PageInfo = z.looseObject({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });

export const LinearState = z.looseObject({ id: z.string(), name: z.string(), type: z.string(), position: z.number() });
export type LinearState = z.infer<typeof LinearState>;

export const LinearIssue = z.looseObject({
  id: z.string(),
  identifier: z.string(),
  title: z.string(),
  description: z.string().nullish(),
  priority: z.number(),
  branchName: z.string().nullish(),
  url: z.string().nullish(),
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  ...trackerFieldShape(LINEAR_TASK_FIELDS),
  state: z.looseObject({ name: z.string(), type: z.string() }),
  assignee: z.looseObject({ id: z.string(), name: z.string(), displayName: z.string().nullish() }).nullish(),
  team: z.looseObject({ id: z.string(), key: z.string() }),
  labels: z.looseObject({ nodes: z.array(z.looseObject({ name: z.string() })) }).nullish(),
  /** Asked for with one issue, never with a list: its notes. */
  comments: z.looseObject({ nodes: z.array(z.looseObject({ body: z.string() })) }).nullish(),
});
export type LinearIssue = z.infer<typeof LinearIssue>;

/** A page of issues, each item kept as it came: one that does not read is skipped, not the page. */
export const AssignedPage = z.looseObject({
  viewer: z.looseObject({
    assignedIssues: z.looseObject({ nodes: z.array(z.unknown()), pageInfo: PageInfo }),
  }),
});

export type AssignedPage = z.infer<typeof AssignedPage>;

export const IssueAnswer = z.looseObject({ issue: LinearIssue });

export const IssueWithStates = z.looseObject({
  issue: LinearIssue.extend({
    team: z.looseObject({
      id: z.string(),
      key: z.string(),
      states: z.looseObject({ nodes: z.array(LinearState) }),
    }),
  }),
});

export const Viewer = z.looseObject({
  viewer: z.looseObject({ id: z.string(), name: z.string(), email: z.string().nullish() }),
});

export const Teams = z.looseObject({
  teams: z.looseObject({ nodes: z.array(z.looseObject({ id: z.string(), key: z.string(), name: z.string() })) }),
});

const IssuePayload = z.looseObject({ success: z.boolean(), issue: LinearIssue.nullish() });
export const IssueUpdated = z.looseObject({ issueUpdate: IssuePayload });
export const IssueCreated = z.looseObject({ issueCreate: IssuePayload });

export const CommentMutation = z.looseObject({
  commentCreate: z.looseObject({ success: z.boolean() }),
});
