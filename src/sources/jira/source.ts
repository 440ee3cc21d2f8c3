// Jira Cloud as a task source: the issues a JQL search finds (by default yours that are not done, in the configured
// project), the branch's issue by the key its name carries, status changes through the workflow's transitions into
// the status category they mean, comments, and new issues in the configured project. The claim is the assignee.
import { z } from 'zod';
import { TaskSourceError } from '../../errors/task-source.js';
import type { Task, TaskStatus } from '../../tasks/task.js';
import type { Deadline } from '../../util/deadline.js';
import { pendingWithBranch, readPages, type IssueList } from '../issue-list.js';
import { deadlineOf, type PendingResult, type Scope, type SourceCallOptions, type TaskSource } from '../source.js';
import type { JiraApi } from './api.js';
import { adfDocument, jiraStatus, jiraTask, TARGET_CATEGORY, TO_JIRA_PRIORITY } from './map.js';
import {
  Comment,
  Created,
  JIRA_FIELDS,
  JiraIssue,
  Myself,
  SearchPage,
  Transitions,
  type JiraTransition,
} from './schema.js';

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

export function jiraSource(api: JiraApi, opts: JiraOptions): TaskSource {
  const server = api.site;
  const statusOf = jiraStatus(opts.statuses ?? {});
  const toTask = (issue: JiraIssue): Task => jiraTask(issue, statusOf);
  const deadline = (o: SourceCallOptions = {}): Deadline => deadlineOf(o, opts.defaultDeadlineMs);

  const search = (d: Deadline): Promise<IssueList> =>
    readPages(
      async (nextPageToken) => {
        const body = {
          jql: scopedJql(opts),
          fields: JIRA_FIELDS,
          maxResults: PAGE,
          ...(nextPageToken ? { nextPageToken } : {}),
        };
        const page = await api.call(
          'search/jql',
          { method: 'POST', path: '/rest/api/3/search/jql', body },
          SearchPage,
          d,
        );
        return { items: page.issues ?? [], next: page.isLast ? null : page.nextPageToken };
      },
      JiraIssue,
      toTask,
    );

  const issue = async (id: string, d: Deadline): Promise<Task> =>
    toTask(
      await api.call(
        'issue',
        { path: `/rest/api/3/issue/${key(id)}?fields=${[...JIRA_FIELDS, 'comment'].join(',')}` },
        JiraIssue,
        d,
      ),
    );

  async function pending(scope: Scope, o?: SourceCallOptions): Promise<PendingResult> {
    const d = deadline(o);
    return pendingWithBranch(scope, await search(d), {
      prefixes: opts.project ? [opts.project] : [],
      lookup: (k) => issue(k, d),
    });
  }

  async function comment(id: string, text: string, d: Deadline): Promise<void> {
    await api.call(
      'comment',
      { method: 'POST', path: `/rest/api/3/issue/${key(id)}/comment`, body: { body: adfDocument(text) } },
      Comment,
      d,
    );
  }

  /** The transition into the status `status` means: one to a status named like it, else one into its category. */
  function transitionFor(transitions: readonly JiraTransition[], status: TaskStatus): JiraTransition | undefined {
    const named = transitions.find((t) => statusOf(t.to.name, '') === status && status !== 'todo');
    const category = TARGET_CATEGORY[status];
    return named ?? transitions.find((t) => category !== undefined && t.to.statusCategory.key === category);
  }

  const myself = async (d: Deadline): Promise<string> =>
    (await api.call('myself', { path: '/rest/api/3/myself' }, Myself, d)).accountId;

  return {
    adapter: 'jira',
    requiredTools: JIRA_CALLS,
    server: () => server,
    pending,
    async next(scope, o) {
      return (await pending(scope, o)).next ?? null;
    },
    get: (id, o) => issue(id, deadline(o)),
    async setStatus(id, status, o = {}) {
      const d = deadline(o);
      const path = `/rest/api/3/issue/${key(id)}/transitions`;
      const { transitions } = await api.call('transitions', { path }, Transitions, d);
      const transition = transitionFor(transitions, status);
      if (!transition) {
        const offered = transitions.map((t) => `${t.name} → ${t.to.name}`).join(', ') || 'none';
        throw new TaskSourceError(
          'config',
          `Jira offers ${id.toUpperCase()} no transition to ${status} (offered: ${offered})`,
          {
            short: `no transition to ${status}`,
            place: server,
            fix: 'move it in Jira, or map a status name to this status in source.jira.statuses',
          },
        );
      }
      await api.call(
        'transition',
        { method: 'POST', path, body: { transition: { id: transition.id } } },
        z.unknown(),
        d,
      );
      if (o.note) await comment(id, o.note, d);
      return issue(id, d);
    },
    async create(_scope, input, o) {
      const d = deadline(o);
      if (!opts.project) {
        throw new TaskSourceError('config', 'Jira needs a project for new issues: source.jira.project is not set', {
          short: 'no project set',
          place: server,
          fix: 'set source.jira.project to a project key (ABC) in ~/.taskhooks/config.json',
        });
      }
      const fields = {
        project: { key: opts.project },
        summary: input.title,
        issuetype: { name: opts.issueType ?? 'Task' },
        assignee: { accountId: await myself(d) },
        ...(input.description ? { description: adfDocument(input.description) } : {}),
        ...(input.priority ? { priority: { name: TO_JIRA_PRIORITY[input.priority] } } : {}),
        ...(input.labels?.length ? { labels: input.labels } : {}),
      };
      const created = await api.call(
        'create',
        { method: 'POST', path: '/rest/api/3/issue', body: { fields } },
        Created,
        d,
      );
      return issue(created.key, d);
    },
    async addNote(id, text, o) {
      const d = deadline(o);
      await comment(id, text, d);
      return issue(id, d);
    },
    async claim(id, _claim, o) {
      const d = deadline(o);
      const accountId = await myself(d);
      await api.call(
        'assign',
        { method: 'PUT', path: `/rest/api/3/issue/${key(id)}/assignee`, body: { accountId } },
        z.unknown(),
        d,
      );
      return issue(id, d);
    },
    async listTools() {
      return JIRA_CALLS;
    },
    async close() {},
  };
}
