// GitHub Issues as a task source: the open issues of the checkout's repository assigned to the viewer (or all of
// them, or by label or milestone), pull requests left out; the branch's issue by the number in its name. Writes are
// what a person does on GitHub: start assigns them and labels it in progress, done closes it as completed, block
// labels it, a note is a comment, add opens an issue assigned to them.
import type { Cache } from '../../cache/cache.js';
import { kvGet, kvSet } from '../../cache/kv.js';
import { notFound, TaskSourceError } from '../../errors/task-source.js';
import type { Logger } from '../../log/logger.js';
import { OPEN_STATUSES, comparePending, type Task, type TaskStatus } from '../../tasks/task.js';
import type { Deadline } from '../../util/deadline.js';
import {
  deadlineOf,
  type NewTaskInput,
  type PendingResult,
  type Scope,
  type SourceCallOptions,
  type TaskSource,
} from '../source.js';
import { DEFAULT_LIST_CAP, listEndNote, type ListCap } from '../list-cap.js';
import { joinNotes, leftOutItem, leftOutNote } from '../parse.js';
import { githubClient, type GitHubClient } from './client.js';
import { GitHubComment, GitHubIssue, GitHubUser, issueOfBranch, taskOfIssue } from './issues.js';
import { labelOfPriority, type LabelWords } from './words.js';
import { parseRemoteUrl, readOriginUrl, type GitHubRepo } from './remote.js';
import { endpointFixFor } from './definition.js';
import { findToken, type GitHubToken } from './token.js';

/** Where GitHub is and which of a repository's issues are the user's tasks; the API only from the user's settings. */
export interface GitHubOptions {
  /** The REST API (`https://api.github.com`, `https://HOST/api/v3`). */
  api: string;
  /** The web host that API serves: a checkout's origin must name it. */
  host: string;
  /** `owner/repo`, when set; otherwise the checkout's origin. */
  repo?: string | undefined;
  /** `assigned`: the viewer's open issues; `all`: every open issue. */
  issues: 'assigned' | 'all';
  labels: readonly string[];
  milestone?: string | undefined;
  words: LabelWords;
  /** A call's deadline when its caller gives none. */
  timeoutMs: number;
  /** How far a list is read (source.maxPages, source.maxItems). */
  listCap?: ListCap | undefined;
}

export interface Context {
  cache: Cache;
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** The checkout the source was opened for: the repository of a call without a scope (get, a status change). */
  root: string;
}

/** The viewer's login is asked once an hour per token, not on every read. */
const VIEWER_TTL_S = 3600;

/** The repository a checkout reads, or a config error saying how to name one. */
export function repoOf(root: string, opts: Pick<GitHubOptions, 'repo' | 'host' | 'api'>): GitHubRepo {
  if (opts.repo) {
    const [owner, repo, extra] = opts.repo.split('/');
    if (owner && repo && extra === undefined) return { host: opts.host, owner, repo };
  }
  const url = readOriginUrl(root);
  const found = url ? parseRemoteUrl(url) : undefined;
  if (!found) {
    throw new TaskSourceError('config', `no GitHub repository for ${root}: ${url ? `origin is ${url}` : 'no origin'}`, {
      short: url ? 'origin is no GitHub repository' : 'no origin remote',
      place: root,
      fix: 'add the GitHub repository as origin (`git remote add origin https://github.com/OWNER/REPO`), or set source.github.repo to OWNER/REPO',
    });
  }
  // The token goes only to the API the user configured: a remote on another host is not read with it.
  if (found.host !== opts.host) {
    throw new TaskSourceError(
      'config',
      `origin names ${found.host}, but the GitHub API configured is ${opts.api} (for ${opts.host})`,
      {
        short: `origin is on ${found.host}, not ${opts.host}`,
        place: root,
        fix: endpointFixFor(found.host),
      },
    );
  }
  return found;
}

/** What the source's operations share: its settings, and the client and token made at the first call. */
interface GitHub {
  opts: GitHubOptions;
  ctx: Context;
  client?: GitHubClient;
  token?: GitHubToken;
}

async function clientFor(g: GitHub, deadline: Deadline): Promise<GitHubClient> {
  if (g.client) return g.client;
  const { opts, ctx } = g;
  g.token = await findToken(opts.host, { ...ctx, deadline });
  const token = g.token.token;
  // The API is GITHUB_API_URL or source.github.api, which only the person sets, else https on the web host's.
  g.client = githubClient({ api: opts.api, host: opts.host, token, setByPerson: true, cache: ctx.cache, log: ctx.log });
  return g.client;
}

/** The API path of the repository a call is about: its scope's checkout, else the one the source was opened for. */
function repoPath(g: GitHub, root: string): string {
  const { owner, repo } = repoOf(root, g.opts);
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
}

/** Where the source reads, for messages: the opened checkout's repository, else the API when it names none. */
function serverOf(opts: GitHubOptions, root: string): string {
  try {
    const { owner, repo } = repoOf(root, opts);
    return `${opts.api}/repos/${owner}/${repo}`;
  } catch {
    return opts.api; // the call itself reports the missing repository, with its fix
  }
}

function protocol(g: GitHub, what: string, problem: string): TaskSourceError {
  const { api } = g.opts;
  return new TaskSourceError('protocol', `GitHub answered ${what} with an unexpected payload: ${problem} (at ${api})`, {
    short: `unexpected ${what} answer`,
    place: api,
  });
}

async function viewer(g: GitHub, deadline: Deadline): Promise<string> {
  const c = await clientFor(g, deadline);
  const { token } = g;
  const key = `github:viewer:${c.api}:${token?.from}:${token?.token.length}:${token?.token.slice(-4)}`;
  const kept = kvGet<string>(g.ctx.cache, key);
  if (kept) return kept;
  const user = GitHubUser.safeParse(await c.get('/user', {}, deadline));
  if (!user.success) throw protocol(g, 'GET /user', 'no login');
  kvSet(g.ctx.cache, key, user.data.login, VIEWER_TTL_S);
  return user.data.login;
}

function issueNumber(g: GitHub, id: string): number {
  const n = Number(id.replace(/^#/, ''));
  if (!Number.isSafeInteger(n) || n <= 0) throw notFound('Issue', id, g.opts.api);
  return n;
}

/** The issues of a list answer as tasks: pull requests left out, an item GitHub words oddly named, not fatal. */
function tasksOf(g: GitHub, items: unknown[], login: string | undefined): { tasks: Task[]; left: string[] } {
  const tasks: Task[] = [];
  const left: string[] = [];
  items.forEach((item, i) => {
    const issue = GitHubIssue.safeParse(item);
    if (!issue.success) left.push(leftOutItem(i, issue.error));
    else if (issue.data.pull_request === undefined) tasks.push(taskOfIssue(issue.data, g.opts.words, login));
  });
  if (left.length > 0) g.ctx.log.warn({ place: g.opts.api, left }, 'GitHub issues left out: unexpected shape');
  return { tasks, left };
}

function query({ opts }: GitHub, state: 'open' | 'all', login: string): Record<string, string> {
  return {
    state,
    ...(opts.issues === 'assigned' ? { assignee: login } : {}),
    ...(opts.labels.length > 0 ? { labels: opts.labels.join(',') } : {}),
    ...(opts.milestone ? { milestone: opts.milestone } : {}),
  };
}

/** One issue; with `notes`, its comments as the task's notes, as `tasks show` and a write's answer show them. */
async function getIssue(g: GitHub, path: string, n: number, deadline: Deadline, notes = false): Promise<Task> {
  const c = await clientFor(g, deadline);
  const login = await viewer(g, deadline);
  const issue = GitHubIssue.safeParse(await c.get(`${path}/issues/${n}`, {}, deadline));
  if (!issue.success) throw protocol(g, `GET ${path}/issues/${n}`, 'not an issue');
  const task = taskOfIssue(issue.data, g.opts.words, login);
  if (!notes) return task;
  const bodies = (await c.list(`${path}/issues/${n}/comments`, {}, deadline, g.opts.listCap)).items
    .map((item) => GitHubComment.safeParse(item))
    .flatMap((comment) => (comment.success && comment.data.body ? [comment.data.body] : []));
  if (bodies.length > 0) task.details = bodies.join('\n\n');
  return task;
}

async function pending(g: GitHub, scope: Scope, deadline: Deadline): Promise<PendingResult> {
  const path = repoPath(g, scope.projectRoot);
  const c = await clientFor(g, deadline);
  const login = await viewer(g, deadline);
  const cap = g.opts.listCap ?? DEFAULT_LIST_CAP;
  const listed = await c.list(`${path}/issues`, query(g, 'open', login), deadline, cap);
  const { tasks, left } = tasksOf(g, listed.items, login);
  const open = tasks.filter((t) => OPEN_STATUSES.includes(t.status)).sort(comparePending);
  const branchIssue = issueOfBranch(scope.branch);
  let next: Task | null | undefined;
  if (branchIssue !== undefined) {
    next = open.find((t) => t.id === String(branchIssue));
    if (!next) {
      const mine = await getIssue(g, path, branchIssue, deadline).catch((err: unknown) => {
        g.ctx.log.debug({ err, branchIssue }, 'the branch names no readable issue');
        return undefined;
      });
      next = mine && OPEN_STATUSES.includes(mine.status) ? mine : undefined;
      if (next) open.unshift(next);
    }
  }
  const note = joinNotes(leftOutNote(left), listEndNote(listed.end, cap, open.length));
  // The next task is known now, whether or not the branch names one: the caller asks for no second list.
  const first = open.find((t) => t.status !== 'blocked') ?? null;
  return { tasks: open, next: next ?? first, ...(note ? { note } : {}) };
}

async function assignViewer(g: GitHub, path: string, n: number, deadline: Deadline): Promise<void> {
  const c = await clientFor(g, deadline);
  await c.send('POST', `${path}/issues/${n}/assignees`, { assignees: [await viewer(g, deadline)] }, deadline);
}

async function removeLabel(g: GitHub, path: string, n: number, label: string, deadline: Deadline): Promise<void> {
  const c = await clientFor(g, deadline);
  await c
    .send('DELETE', `${path}/issues/${n}/labels/${encodeURIComponent(label)}`, undefined, deadline)
    .catch((err: unknown) => {
      // Not there is what was wanted.
      if (!(err instanceof TaskSourceError && err.kind === 'not_found')) throw err;
    });
}

async function setStatus(
  g: GitHub,
  id: string,
  status: TaskStatus,
  note: string | undefined,
  deadline: Deadline,
): Promise<Task> {
  const n = issueNumber(g, id);
  const path = repoPath(g, g.ctx.root);
  const c = await clientFor(g, deadline);
  const { inProgress, blocked } = g.opts.words;
  switch (status) {
    case 'in_progress':
      await assignViewer(g, path, n, deadline);
      await c.send('POST', `${path}/issues/${n}/labels`, { labels: [inProgress] }, deadline);
      await removeLabel(g, path, n, blocked, deadline);
      break;
    case 'blocked':
      await c.send('POST', `${path}/issues/${n}/labels`, { labels: [blocked] }, deadline);
      await removeLabel(g, path, n, inProgress, deadline);
      break;
    case 'done':
    case 'cancelled':
      await c.send(
        'PATCH',
        `${path}/issues/${n}`,
        { state: 'closed', state_reason: status === 'done' ? 'completed' : 'not_planned' },
        deadline,
      );
      break;
    case 'todo':
      await c.send('PATCH', `${path}/issues/${n}`, { state: 'open' }, deadline);
      await removeLabel(g, path, n, inProgress, deadline);
      await removeLabel(g, path, n, blocked, deadline);
      break;
    default:
      throw new TaskSourceError('config', `GitHub issues have no ${status} status`, {
        short: `no ${status} on GitHub`,
        place: g.opts.api,
        fix: 'use start, block, done or a note',
      });
  }
  if (note) await c.send('POST', `${path}/issues/${n}/comments`, { body: note }, deadline);
  return getIssue(g, path, n, deadline, true);
}

async function create(g: GitHub, scope: Scope, input: NewTaskInput, deadline: Deadline): Promise<Task> {
  const path = repoPath(g, scope.projectRoot);
  const c = await clientFor(g, deadline);
  const login = await viewer(g, deadline);
  const priority = labelOfPriority(input.priority, g.opts.words);
  const body = [input.description, input.details].filter((s) => s).join('\n\n');
  const labels = [...(input.labels ?? []), ...(priority ? [priority] : [])];
  const made = GitHubIssue.safeParse(
    await c.send(
      'POST',
      `${path}/issues`,
      { title: input.title, ...(body ? { body } : {}), assignees: [login], ...(labels.length ? { labels } : {}) },
      deadline,
    ),
  );
  if (!made.success) throw protocol(g, `POST ${path}/issues`, 'not an issue');
  return taskOfIssue(made.data, g.opts.words, login);
}

async function listAll(g: GitHub, scope: Scope, deadline: Deadline): Promise<Task[]> {
  const path = repoPath(g, scope.projectRoot);
  const c = await clientFor(g, deadline);
  const login = await viewer(g, deadline);
  const listed = await c.list(`${path}/issues`, query(g, 'all', login), deadline, g.opts.listCap);
  return tasksOf(g, listed.items, login).tasks.sort(comparePending);
}

async function addNote(g: GitHub, id: string, text: string, deadline: Deadline): Promise<Task> {
  const path = repoPath(g, g.ctx.root);
  const n = issueNumber(g, id);
  await (await clientFor(g, deadline)).send('POST', `${path}/issues/${n}/comments`, { body: text }, deadline);
  return getIssue(g, path, n, deadline, true);
}

/** On GitHub the claim is the assignee: the token's own user is added, as `start` does. */
async function claim(g: GitHub, id: string, deadline: Deadline): Promise<Task> {
  const path = repoPath(g, g.ctx.root);
  const n = issueNumber(g, id);
  await assignViewer(g, path, n, deadline);
  return getIssue(g, path, n, deadline);
}

// The house keeps every function under 100 lines: the factory only wires the operations, each read on its own above.
export function githubSource(opts: GitHubOptions, ctx: Context): TaskSource {
  const g: GitHub = { opts, ctx };
  const deadline = (o: SourceCallOptions): Deadline => deadlineOf(o, opts.timeoutMs);
  return {
    adapter: 'github',
    requiredTools: [],
    server: () => serverOf(opts, ctx.root),
    pending: (scope, o = {}) => pending(g, scope, deadline(o)),
    next: async (scope, o = {}) => (await pending(g, scope, deadline(o))).next ?? null,
    get: (id, o = {}) => getIssue(g, repoPath(g, g.ctx.root), issueNumber(g, id), deadline(o), true),
    setStatus: (id, status, o = {}) => setStatus(g, id, status, o.note, deadline(o)),
    create: (scope, input, o = {}) => create(g, scope, input, deadline(o)),
    listAll: (scope, o = {}) => listAll(g, scope, deadline(o)),
    addNote: (id, text, o = {}) => addNote(g, id, text, deadline(o)),
    claim: (id, _claim, o = {}) => claim(g, id, deadline(o)),
    listTools: async () => [],
    close: async () => undefined,
  };
}
