// GitLab issues as a task source: the open issues of the checkout's project assigned to the viewer (or all of them,
// or by label or milestone); the branch's issue by the number in its name (GitLab's own `12-fix-login`). Writes are
// what a person does on GitLab: start assigns them and adds the in-progress label, done closes the issue, block
// labels it, a note is a note, add opens an issue assigned to them with its priority label and due date.
import { kvGet, kvSet } from '../../cache/kv.js';
import { notFound, protocolError, TaskSourceError } from '../../errors/task-source.js';
import { OPEN_STATUSES, comparePending, type Task, type TaskStatus } from '../../tasks/task.js';
import type { Deadline } from '../../util/deadline.js';
import { issueOfBranch, labelOfPriority, type Context, type GitHubOptions } from '../github/index.js';
import { DEFAULT_LIST_CAP, listEndNote } from '../list-cap.js';
import { joinNotes, leftOutNote, lenientList } from '../parse.js';
import {
  deadlineOf,
  type NewTaskInput,
  type PendingResult,
  type Scope,
  type SourceCallOptions,
  type TaskSource,
} from '../source.js';
import { trackerFieldInput } from '../issues/tracker-fields.js';
import { gitlabClient, type GitLabClient } from './client.js';
import { GITLAB_TASK_FIELDS, GitLabIssue, GitLabNote, GitLabUser, taskOfIssue } from './issues.js';
import { filterQuery, readIssues, type IssueFilter } from './refresh.js';
import { projectOf } from './remote.js';
import { findToken } from './token.js';

/** Where GitLab is and which of a project's issues are the user's tasks, as GitHub's are; the API only from settings. */
export type GitLabOptions = Omit<GitHubOptions, 'repo'> & {
  /** `group/subgroup/project`, when set; otherwise the checkout's origin. */
  project?: string | undefined;
};

/** The viewer is asked once an hour per token, not on every read. */
const VIEWER_TTL_S = 3600;

interface GitLab {
  opts: GitLabOptions;
  ctx: Context;
  client?: GitLabClient;
}

async function clientFor(g: GitLab, deadline: Deadline): Promise<GitLabClient> {
  if (g.client) return g.client;
  const { opts, ctx } = g;
  const token = await findToken(opts.host, { ...ctx, deadline });
  // The API is GITLAB_API_URL or source.gitlab.api, which only the person sets, else https on the origin's host.
  g.client = gitlabClient({ api: opts.api, host: opts.host, token, setByPerson: true, cache: ctx.cache, log: ctx.log });
  return g.client;
}

/** The API path of the project a call is about: its scope's checkout, else the one the source was opened for. */
function projectPath(g: GitLab, root: string): string {
  return `/projects/${encodeURIComponent(projectOf(root, g.opts).path)}`;
}

function serverOf(g: GitLab): string {
  try {
    return `${g.opts.api}${projectPath(g, g.ctx.root)}`;
  } catch {
    return g.opts.api; // the call itself reports the missing project, with its fix
  }
}

async function viewer(g: GitLab, deadline: Deadline): Promise<GitLabUser> {
  const c = await clientFor(g, deadline);
  const key = `gitlab:viewer:${c.identity}`;
  const kept = kvGet<GitLabUser>(g.ctx.cache, key);
  if (kept) return kept;
  const user = GitLabUser.safeParse(await c.get('/user', {}, deadline));
  if (!user.success) throw protocolError(g.opts.api, 'GET /user', 'no username');
  kvSet(g.ctx.cache, key, user.data, VIEWER_TTL_S);
  return user.data;
}

function issueIid(g: GitLab, id: string): number {
  const n = Number(id.replace(/^#/, ''));
  if (!Number.isSafeInteger(n) || n <= 0) throw notFound('Issue', id, g.opts.api);
  return n;
}

async function readIssue(g: GitLab, path: string, iid: number, deadline: Deadline): Promise<GitLabIssue> {
  const issue = GitLabIssue.safeParse(await (await clientFor(g, deadline)).get(`${path}/issues/${iid}`, {}, deadline));
  if (!issue.success) throw protocolError(g.opts.api, `GET ${path}/issues/${iid}`, 'not an issue');
  return issue.data;
}

/** One issue; with `notes`, its notes (GitLab's own system notes left out) as the task's notes. */
async function getIssue(g: GitLab, path: string, iid: number, deadline: Deadline, notes = false): Promise<Task> {
  const c = await clientFor(g, deadline);
  const { username } = await viewer(g, deadline);
  const task = taskOfIssue(await readIssue(g, path, iid, deadline), g.opts.words, username);
  if (!notes) return task;
  const query = { sort: 'asc', order_by: 'created_at' };
  const bodies = (await c.list(`${path}/issues/${iid}/notes`, query, deadline, g.opts.listCap)).items
    .map((item) => GitLabNote.safeParse(item))
    .flatMap((note) => (note.success && !note.data.system && note.data.body ? [note.data.body] : []));
  if (bodies.length > 0) task.details = bodies.join('\n\n');
  return task;
}

function filterOf(g: GitLab, username: string): IssueFilter {
  const { opts } = g;
  return {
    assignee: opts.issues === 'assigned' ? username : undefined,
    labels: opts.labels,
    milestone: opts.milestone,
  };
}

async function pending(g: GitLab, scope: Scope, deadline: Deadline): Promise<PendingResult> {
  const path = projectPath(g, scope.projectRoot);
  const client = await clientFor(g, deadline);
  const { username } = await viewer(g, deadline);
  const cap = g.opts.listCap ?? DEFAULT_LIST_CAP;
  const r = { client, cache: g.ctx.cache, log: g.ctx.log, path, cap };
  const read = await readIssues(r, filterOf(g, username), deadline);
  if (read.left.length > 0) g.ctx.log.warn({ place: g.opts.api, left: read.left }, 'GitLab issues left out');
  const open = read.issues
    .map((i) => taskOfIssue(i, g.opts.words, username))
    .filter((t) => OPEN_STATUSES.includes(t.status))
    .sort(comparePending);
  const branchIssue = issueOfBranch(scope.branch);
  let next: Task | undefined;
  if (branchIssue !== undefined) {
    next = open.find((t) => t.id === String(branchIssue));
    if (next) open.splice(open.indexOf(next), 1);
    else
      next = await getIssue(g, path, branchIssue, deadline).catch((err: unknown) => {
        g.ctx.log.debug({ err, branchIssue }, 'the branch names no readable issue');
        return undefined;
      });
    if (next && OPEN_STATUSES.includes(next.status)) open.unshift(next);
    else next = undefined;
  }
  const note = joinNotes(leftOutNote(read.left), listEndNote(read.end, cap, open.length));
  const first = open.find((t) => t.status !== 'blocked') ?? null;
  return { tasks: open, next: next ?? first, ...(note ? { note } : {}) };
}

/** `PUT /projects/:id/issues/:iid`: labels added and removed, assignees, state, in one request. */
async function editIssue(g: GitLab, iid: number, body: Record<string, unknown>, deadline: Deadline): Promise<void> {
  const path = projectPath(g, g.ctx.root);
  await (await clientFor(g, deadline)).send('PUT', `${path}/issues/${iid}`, body, deadline);
}

/** The viewer first among the assignees: where only one is kept (GitLab Free), it is them. */
async function withViewer(g: GitLab, iid: number, deadline: Deadline): Promise<{ assignee_ids: number[] }> {
  const me = await viewer(g, deadline);
  const issue = await readIssue(g, projectPath(g, g.ctx.root), iid, deadline);
  const others = (issue.assignees ?? []).map((a) => a.id).filter((id) => id !== me.id);
  return { assignee_ids: [me.id, ...others] };
}

async function setStatus(g: GitLab, id: string, status: TaskStatus, note: string | undefined, d: Deadline) {
  const iid = issueIid(g, id);
  const { inProgress, blocked } = g.opts.words;
  switch (status) {
    case 'in_progress':
      await editIssue(g, iid, { ...(await withViewer(g, iid, d)), add_labels: inProgress, remove_labels: blocked }, d);
      break;
    case 'blocked':
      await editIssue(g, iid, { add_labels: blocked, remove_labels: inProgress }, d);
      break;
    case 'done':
    case 'cancelled':
      await editIssue(g, iid, { state_event: 'close' }, d);
      break;
    case 'todo':
      await editIssue(g, iid, { state_event: 'reopen', remove_labels: `${inProgress},${blocked}` }, d);
      break;
    default:
      throw new TaskSourceError('config', `GitLab issues have no ${status} status`, {
        short: `no ${status} on GitLab`,
        place: g.opts.api,
        fix: 'use start, block, done or a note',
      });
  }
  return note ? addNote(g, id, note, d) : getIssue(g, projectPath(g, g.ctx.root), iid, d, true);
}

async function create(g: GitLab, scope: Scope, input: NewTaskInput, deadline: Deadline): Promise<Task> {
  const path = projectPath(g, scope.projectRoot);
  const c = await clientFor(g, deadline);
  const me = await viewer(g, deadline);
  const priority = labelOfPriority(input.priority, g.opts.words);
  const description = [input.description, input.details].filter((s) => s).join('\n\n');
  const labels = [...(input.labels ?? []), ...(priority ? [priority] : [])];
  const fields = Object.fromEntries(
    Object.entries(trackerFieldInput(GITLAB_TASK_FIELDS, input)).filter(([, v]) => v !== null),
  );
  const body = {
    title: input.title,
    ...(description ? { description } : {}),
    assignee_ids: [me.id],
    ...(labels.length ? { labels: labels.join(',') } : {}),
    ...fields,
  };
  const made = GitLabIssue.safeParse(await c.send('POST', `${path}/issues`, body, deadline));
  if (!made.success) throw protocolError(g.opts.api, `POST ${path}/issues`, 'not an issue');
  return taskOfIssue(made.data, g.opts.words, me.username);
}

async function listAll(g: GitLab, scope: Scope, deadline: Deadline): Promise<Task[]> {
  const path = projectPath(g, scope.projectRoot);
  const c = await clientFor(g, deadline);
  const { username } = await viewer(g, deadline);
  const query = { state: 'all', ...filterQuery(filterOf(g, username)) };
  const listed = await c.list(`${path}/issues`, query, deadline, g.opts.listCap);
  return lenientList(GitLabIssue)
    .parse(listed.items)
    .items.map((i) => taskOfIssue(i, g.opts.words, username))
    .sort(comparePending);
}

async function addNote(g: GitLab, id: string, text: string, deadline: Deadline): Promise<Task> {
  const path = projectPath(g, g.ctx.root);
  const iid = issueIid(g, id);
  await (await clientFor(g, deadline)).send('POST', `${path}/issues/${iid}/notes`, { body: text }, deadline);
  return getIssue(g, path, iid, deadline, true);
}

/** On GitLab the claim is the assignee: the token's own user, as `start` assigns. */
async function claim(g: GitLab, id: string, deadline: Deadline): Promise<Task> {
  const iid = issueIid(g, id);
  await editIssue(g, iid, await withViewer(g, iid, deadline), deadline);
  return getIssue(g, projectPath(g, g.ctx.root), iid, deadline);
}

export function gitlabSource(opts: GitLabOptions, ctx: Context): TaskSource {
  const g: GitLab = { opts, ctx };
  const deadline = (o: SourceCallOptions): Deadline => deadlineOf(o, opts.timeoutMs);
  return {
    adapter: 'gitlab',
    requiredTools: [],
    server: () => serverOf(g),
    pending: (scope, o = {}) => pending(g, scope, deadline(o)),
    next: async (scope, o = {}) => (await pending(g, scope, deadline(o))).next ?? null,
    get: (id, o = {}) => getIssue(g, projectPath(g, g.ctx.root), issueIid(g, id), deadline(o), true),
    setStatus: (id, status, o = {}) => setStatus(g, id, status, o.note, deadline(o)),
    create: (scope, input, o = {}) => create(g, scope, input, deadline(o)),
    listAll: (scope, o = {}) => listAll(g, scope, deadline(o)),
    addNote: (id, text, o = {}) => addNote(g, id, text, deadline(o)),
    claim: (id, _claim, o = {}) => claim(g, id, deadline(o)),
    listTools: async () => [],
    close: async () => undefined,
  };
}
