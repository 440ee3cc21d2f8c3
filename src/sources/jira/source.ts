// Jira Cloud as a task source: the issues a JQL search finds (by default yours that are not done, in the configured
// project), the branch's issue by the key its name carries, status changes through the workflow's transitions into
// the status category they mean, comments, new issues in the configured project, and edits (a due date too). The
// claim is the assignee.
import { z } from 'zod';
import { TaskSourceError } from '../../errors/task-source.js';
import type { Task, TaskStatus } from '../../tasks/task.js';
import type { Deadline } from '../../util/deadline.js';
import { issueTrackerSource, readPages, type IssueList } from '../rest/issue-tracker.js';
import { DEFAULT_LIST_CAP, type ListCap } from '../list-cap.js';
import type { NewTaskInput, StatusChange, TaskEdit, TaskSource } from '../source.js';
import { refuseBranchMove, trackerFieldInput } from '../issues/tracker-fields.js';
import type { JiraApi } from './api.js';
import { adfDocument, jiraStatus, jiraTask, TARGET_CATEGORY, TO_JIRA_PRIORITY } from './map.js';
import {
  Comment,
  Created,
  JIRA_FIELDS,
  JIRA_TASK_FIELDS,
  JiraIssue,
  Myself,
  SearchPage,
  Transitions,
  type JiraTransition,
} from './schema.js';
import { shownHome } from '../../home/dir.js';

export interface JiraOptions {
  defaultDeadlineMs: number;
  /** A project key (ABC): the search is scoped to it and new issues are made there. */
  project?: string | undefined;
  /** The search, replacing the default one (the project still scopes it). */
  jql?: string | undefined;
  /** The issue type of new issues. */
  issueType?: string | undefined;
  /** Status names mapped to taskhooks' statuses, over the built-in ones (Blocked → blocked). */
  statuses?: Readonly<Record<string, TaskStatus>> | undefined;
  /** How far the search is read (source.maxPages, source.maxItems). */
  listCap?: ListCap | undefined;
}

export const DEFAULT_JQL = 'assignee = currentUser() AND statusCategory != Done ORDER BY priority DESC, updated DESC';
const PAGE = 100;
export const JIRA_CALLS = ['search/jql', 'issue', 'issue/transitions', 'issue/comment', 'myself'];

/** The search with the project's scope in front; a JQL's ORDER BY stays last. */
export function scopedJql(opts: Pick<JiraOptions, 'project' | 'jql'>): string {
  const jql = opts.jql ?? DEFAULT_JQL;
  if (!opts.project) return jql;
  const order = /\sORDER\s+BY\s/i.exec(jql);
  const where = (order ? jql.slice(0, order.index) : jql).trim();
  const project = `project = "${opts.project.replace(/["\\]/g, '\\$&')}"`;
  return `${project}${where ? ` AND (${where})` : ''}${order ? jql.slice(order.index) : ''}`;
}

const key = (id: string): string => encodeURIComponent(id.toUpperCase());

/** What the source's operations share: the API, the options, and issues read with the configured status names. */
interface Jira {
  api: JiraApi;
  opts: JiraOptions;
  server: string;
  statusOf: ReturnType<typeof jiraStatus>;
  toTask: (issue: JiraIssue) => Task;
}

function search(j: Jira, d: Deadline): Promise<IssueList> {
  return readPages(
    async (nextPageToken) => {
      const body = {
        jql: scopedJql(j.opts),
        fields: JIRA_FIELDS,
        maxResults: PAGE,
        ...(nextPageToken ? { nextPageToken } : {}),
      };
      const page = await j.api.call(
        'search/jql',
        { method: 'POST', path: '/rest/api/3/search/jql', body },
        SearchPage,
        d,
      );
      return { items: page.issues ?? [], next: page.isLast ? null : page.nextPageToken };
    },
    JiraIssue,
    j.toTask,
    j.opts.listCap ?? DEFAULT_LIST_CAP,
  );
}

async function issue(j: Jira, id: string, d: Deadline): Promise<Task> {
  return j.toTask(
    await j.api.call(
      'issue',
      { path: `/rest/api/3/issue/${key(id)}?fields=${[...JIRA_FIELDS, 'comment'].join(',')}` },
      JiraIssue,
      d,
    ),
  );
}

async function comment(j: Jira, id: string, text: string, d: Deadline): Promise<void> {
  await j.api.call(
    'comment',
    { method: 'POST', path: `/rest/api/3/issue/${key(id)}/comment`, body: { body: adfDocument(text) } },
    Comment,
    d,
  );
}

/** The transition into the status `status` means: one to a status named like it, else one into its category. */
function transitionFor(
  j: Jira,
  transitions: readonly JiraTransition[],
  status: TaskStatus,
): JiraTransition | undefined {
  const named = transitions.find((t) => j.statusOf(t.to.name, '') === status && status !== 'todo');
  const category = TARGET_CATEGORY[status];
  return named ?? transitions.find((t) => category !== undefined && t.to.statusCategory.key === category);
}

async function myself(j: Jira, d: Deadline): Promise<string> {
  return (await j.api.call('myself', { path: '/rest/api/3/myself' }, Myself, d)).accountId;
}

async function setStatus(j: Jira, id: string, status: TaskStatus, o: StatusChange, d: Deadline): Promise<Task> {
  const path = `/rest/api/3/issue/${key(id)}/transitions`;
  const { transitions } = await j.api.call('transitions', { path }, Transitions, d);
  const transition = transitionFor(j, transitions, status);
  if (!transition) {
    const offered = transitions.map((t) => `${t.name} → ${t.to.name}`).join(', ') || 'none';
    throw new TaskSourceError(
      'config',
      `Jira offers ${id.toUpperCase()} no transition to ${status} (offered: ${offered})`,
      {
        short: `no transition to ${status}`,
        place: j.server,
        fix: 'move it in Jira, or map a status name to this status in source.jira.statuses',
      },
    );
  }
  await j.api.call('transition', { method: 'POST', path, body: { transition: { id: transition.id } } }, z.unknown(), d);
  if (o.note) await comment(j, id, o.note, d);
  return issue(j, id, d);
}

async function create(j: Jira, input: NewTaskInput, d: Deadline): Promise<Task> {
  if (!j.opts.project) {
    throw new TaskSourceError('config', 'Jira needs a project for new issues: source.jira.project is not set', {
      short: 'no project set',
      place: j.server,
      fix: `set source.jira.project to a project key (ABC) in ${shownHome(['config.json'])}`,
    });
  }
  const fields = {
    project: { key: j.opts.project },
    summary: input.title,
    issuetype: { name: j.opts.issueType ?? 'Task' },
    assignee: { accountId: await myself(j, d) },
    ...(input.description ? { description: adfDocument(input.description) } : {}),
    ...(input.priority ? { priority: { name: TO_JIRA_PRIORITY[input.priority] } } : {}),
    ...(input.labels?.length ? { labels: input.labels } : {}),
    ...trackerFieldInput(JIRA_TASK_FIELDS, input),
  };
  const created = await j.api.call(
    'create',
    { method: 'POST', path: '/rest/api/3/issue', body: { fields } },
    Created,
    d,
  );
  return issue(j, created.key, d);
}

/** Summary, description, priority and the declared fields Jira keeps, in one edit of the issue's fields. */
async function edit(j: Jira, id: string, change: TaskEdit, d: Deadline): Promise<Task> {
  refuseBranchMove('Jira', j.server, change);
  const fields = {
    ...(change.title !== undefined ? { summary: change.title } : {}),
    ...(change.description !== undefined ? { description: adfDocument(change.description) } : {}),
    ...(change.priority ? { priority: { name: TO_JIRA_PRIORITY[change.priority] } } : {}),
    ...trackerFieldInput(JIRA_TASK_FIELDS, change),
  };
  await j.api.call('edit', { method: 'PUT', path: `/rest/api/3/issue/${key(id)}`, body: { fields } }, z.unknown(), d);
  return issue(j, id, d);
}

async function claim(j: Jira, id: string, d: Deadline): Promise<Task> {
  const accountId = await myself(j, d);
  await j.api.call(
    'assign',
    { method: 'PUT', path: `/rest/api/3/issue/${key(id)}/assignee`, body: { accountId } },
    z.unknown(),
    d,
  );
  return issue(j, id, d);
}

async function addNote(j: Jira, id: string, text: string, d: Deadline): Promise<Task> {
  await comment(j, id, text, d);
  return issue(j, id, d);
}

export function jiraSource(api: JiraApi, opts: JiraOptions): TaskSource {
  const statusOf = jiraStatus(opts.statuses ?? {});
  const j: Jira = { api, opts, server: api.site, statusOf, toTask: (found) => jiraTask(found, statusOf) };
  const prefixes = opts.project ? [opts.project] : [];
  const ops = { list: search, issue, setStatus, create, edit, addNote, claim };
  return issueTrackerSource(j, { adapter: 'jira', calls: JIRA_CALLS, prefixes }, ops);
}
