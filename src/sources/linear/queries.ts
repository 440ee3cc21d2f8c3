// Every GraphQL document the Linear adapter sends: the test stand-in validates each against Linear's published schema.
import type { TrackerFieldNames } from '../issues/tracker-fields.js';

/** The declared fields Linear keeps, by their names on its `Issue` and in `IssueCreateInput`/`IssueUpdateInput`. */
export const LINEAR_TASK_FIELDS = { dueDate: 'dueDate' } as const satisfies TrackerFieldNames;

const ISSUE_FIELDS = `
  id identifier title description priority branchName url createdAt updatedAt ${Object.values(LINEAR_TASK_FIELDS).join(' ')}
  state { name type }
  assignee { id name displayName }
  team { id key }
  labels(first: 20) { nodes { name } }`;

export const VIEWER = 'query Viewer { viewer { id name email } }';

export const ASSIGNED = `query Assigned($first: Int!, $after: String, $filter: IssueFilter) {
  viewer {
    assignedIssues(first: $first, after: $after, filter: $filter, orderBy: updatedAt) {
      nodes { ${ISSUE_FIELDS} }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

/** `issue(id:)` takes the UUID or the identifier (ENG-123). */
export const ISSUE = `query Issue($id: String!) {
  issue(id: $id) { ${ISSUE_FIELDS} comments(first: 50) { nodes { body } } }
}`;

export const ISSUE_WITH_STATES = `query IssueWithStates($id: String!) {
  issue(id: $id) {
    ${ISSUE_FIELDS}
    team { id key states(first: 100) { nodes { id name type position } } }
  }
}`;

export const TEAMS = 'query Teams { teams(first: 100) { nodes { id key name } } }';

export const ISSUE_UPDATE = `mutation IssueUpdate($id: String!, $input: IssueUpdateInput!) {
  issueUpdate(id: $id, input: $input) { success issue { ${ISSUE_FIELDS} } }
}`;

export const ISSUE_CREATE = `mutation IssueCreate($input: IssueCreateInput!) {
  issueCreate(input: $input) { success issue { ${ISSUE_FIELDS} } }
}`;

export const COMMENT_CREATE = `mutation CommentCreate($input: CommentCreateInput!) {
  commentCreate(input: $input) { success }
}`;
