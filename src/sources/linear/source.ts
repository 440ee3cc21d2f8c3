// Linear as a task source: the viewer's assigned issues that are not completed or canceled (optionally one team's,
// one project's), the branch's issue by the identifier its name carries, status changes to the team's first state
// of the type they mean, comments, new issues assigned to the viewer, and edits (a due date too). The claim is the
// assignee.
import { TaskSourceError } from '../../errors/task-source.js';
import type { Task, TaskStatus } from '../../tasks/task.js';
import type { Deadline } from '../../util/deadline.js';
import { issueTrackerSource, readPages, type IssueList } from '../rest/issue-tracker.js';
import { DEFAULT_LIST_CAP, type ListCap } from '../list-cap.js';
import type { NewTaskInput, StatusChange, TaskEdit, TaskSource } from '../source.js';
import { refuseBranchMove, trackerFieldInput } from '../issues/tracker-fields.js';
import type { LinearApi } from './api.js';
import { linearTask, targetState, TO_LINEAR_PRIORITY } from './map.js';
import * as Q from './queries.js';
import {
  AssignedPage,
  CommentMutation,
  IssueAnswer,
  IssueCreated,
  IssueUpdated,
  IssueWithStates,
  LinearIssue,
  Teams,
  Viewer,
} from './schema.js';
import { shownHome } from '../../home/dir.js';

export interface LinearOptions {
  /** A call's deadline when its caller gives none. */
  defaultDeadlineMs: number;
  /** A team's key (ENG): only its issues are read, and new ones are made there. */
  team?: string | undefined;
  /** A project's name: only its issues are read. */
  project?: string | undefined;
  /** How far the issue list is read (source.maxPages, source.maxItems). */
  listCap?: ListCap | undefined;
}

/** Issues per page: Linear's largest page is 250; 100 keeps each answer well under its complexity limit. */
const PAGE = 100;

export const LINEAR_OPERATIONS = ['viewer', 'assignedIssues', 'issue', 'issueUpdate', 'commentCreate', 'issueCreate'];

function openFilter(opts: LinearOptions): Record<string, unknown> {
  return {
    state: { type: { nin: ['completed', 'canceled'] } },
    ...(opts.team ? { team: { key: { eqIgnoreCase: opts.team } } } : {}),
    ...(opts.project ? { project: { name: { eqIgnoreCase: opts.project } } } : {}),
  };
}

/** What the source's operations share. */
interface Linear {
  api: LinearApi;
  opts: LinearOptions;
  server: string;
}

function assigned({ api, opts }: Linear, d: Deadline): Promise<IssueList> {
  return readPages(
    async (after) => {
      const variables = { first: PAGE, after: after ?? null, filter: openFilter(opts) };
      const page = await api.request('assignedIssues', Q.ASSIGNED, variables, AssignedPage, d);
      const { nodes, pageInfo } = page.viewer.assignedIssues;
      return { items: nodes, next: pageInfo.hasNextPage ? pageInfo.endCursor : null };
    },
    LinearIssue,
    linearTask,
    opts.listCap ?? DEFAULT_LIST_CAP,
  );
}

async function issue({ api }: Linear, id: string, d: Deadline): Promise<Task> {
  return linearTask((await api.request('issue', Q.ISSUE, { id }, IssueAnswer, d)).issue);
}

async function comment({ api }: Linear, issueId: string, body: string, d: Deadline): Promise<void> {
  await api.request('commentCreate', Q.COMMENT_CREATE, { input: { issueId, body } }, CommentMutation, d);
}

async function update(l: Linear, id: string, input: Record<string, unknown>, d: Deadline): Promise<Task> {
  const { issueUpdate } = await l.api.request('issueUpdate', Q.ISSUE_UPDATE, { id, input }, IssueUpdated, d);
  return issueUpdate.issue ? linearTask(issueUpdate.issue) : issue(l, id, d);
}

async function viewerId({ api }: Linear, d: Deadline): Promise<string> {
  return (await api.request('viewer', Q.VIEWER, {}, Viewer, d)).viewer.id;
}

async function teamId({ api, opts, server }: Linear, d: Deadline): Promise<string> {
  const { nodes } = (await api.request('teams', Q.TEAMS, {}, Teams, d)).teams;
  const team = opts.team ? nodes.find((t) => t.key.toLowerCase() === opts.team?.toLowerCase()) : nodes[0];
  if (team && (opts.team || nodes.length === 1)) return team.id;
  const keys = nodes.map((t) => t.key).join(', ') || 'none';
  throw new TaskSourceError(
    'config',
    opts.team
      ? `Linear has no team ${opts.team} for this key (teams: ${keys})`
      : `Linear has ${nodes.length} teams (${keys}): which one gets new issues is not set`,
    {
      short: 'which team?',
      place: server,
      fix: `set source.linear.team to a team key in ${shownHome(['config.json'])}`,
    },
  );
}

async function setStatus(l: Linear, id: string, status: TaskStatus, o: StatusChange, d: Deadline): Promise<Task> {
  const { issue: found } = await l.api.request('issue', Q.ISSUE_WITH_STATES, { id }, IssueWithStates, d);
  const state = targetState(found.team.states.nodes, status);
  if (!state) {
    throw new TaskSourceError('config', `Linear team ${found.team.key} has no state for ${status}`, {
      short: `no ${status} state`,
      place: l.server,
      fix: `add one to team ${found.team.key}'s workflow in Linear, or leave a note instead (\`taskhooks tasks note\`)`,
    });
  }
  if (o.note) await comment(l, found.id, o.note, d);
  return update(l, found.id, { stateId: state.id }, d);
}

async function create(l: Linear, input: NewTaskInput, d: Deadline): Promise<Task> {
  const [team, assignee] = await Promise.all([teamId(l, d), viewerId(l, d)]);
  const { issueCreate } = await l.api.request(
    'issueCreate',
    Q.ISSUE_CREATE,
    {
      input: {
        teamId: team,
        assigneeId: assignee,
        title: input.title,
        ...(input.description ? { description: input.description } : {}),
        ...(input.priority ? { priority: TO_LINEAR_PRIORITY[input.priority] } : {}),
        ...trackerFieldInput(Q.LINEAR_TASK_FIELDS, input),
      },
    },
    IssueCreated,
    d,
  );
  if (!issueCreate.issue) {
    throw new TaskSourceError('server', `Linear did not create the issue at ${l.server}`, {
      short: 'issue not created',
      place: l.server,
    });
  }
  return linearTask(issueCreate.issue);
}

/** Title, description, priority and the declared fields Linear keeps, in one issueUpdate. */
async function edit(l: Linear, id: string, change: TaskEdit, d: Deadline): Promise<Task> {
  refuseBranchMove('Linear', l.server, change);
  return update(
    l,
    id,
    {
      ...(change.title !== undefined ? { title: change.title } : {}),
      ...(change.description !== undefined ? { description: change.description } : {}),
      ...(change.priority ? { priority: TO_LINEAR_PRIORITY[change.priority] } : {}),
      ...trackerFieldInput(Q.LINEAR_TASK_FIELDS, change),
    },
    d,
  );
}

async function addNote(l: Linear, id: string, text: string, d: Deadline): Promise<Task> {
  const found = await l.api.request('issue', Q.ISSUE, { id }, IssueAnswer, d);
  await comment(l, found.issue.id, text, d);
  return issue(l, found.issue.id, d);
}

/** On Linear the claim is the assignee: the key's own user. */
async function claim(l: Linear, id: string, d: Deadline): Promise<Task> {
  return update(l, id, { assigneeId: await viewerId(l, d) }, d);
}

export function linearSource(api: LinearApi, opts: LinearOptions): TaskSource {
  const l: Linear = { api, opts, server: api.url };
  const prefixes = opts.team ? [opts.team] : [];
  const ops = { list: assigned, issue, setStatus, create, edit, addNote, claim };
  return issueTrackerSource(l, { adapter: 'linear', calls: LINEAR_OPERATIONS, prefixes }, ops);
}
