// The GitLab issues source against the loopback stand-in held to GitLab's shapes (npm @gitbeaker/core's model of
// API v4): the origin in each form, reads across offset pages, the branch's issue, writes, the refresh that reads only
// what changed, rate limits, and where the token goes.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openCache, type Cache } from '../../src/cache/cache.js';
import { isTaskSourceError, type TaskSourceError } from '../../src/errors/task-source.js';
import { endpointFixFor, gitlabEndpoint } from '../../src/sources/gitlab/definition.js';
import { GITLAB_LABEL_WORDS } from '../../src/sources/gitlab/issues.js';
import { FULL_EVERY_MS } from '../../src/sources/gitlab/refresh.js';
import { parseGitLabRemote } from '../../src/sources/gitlab/remote.js';
import { gitlabSource, type GitLabOptions } from '../../src/sources/gitlab/source.js';
import { silentLogger } from '../helpers/cache.js';
import { git, makeRepo, type TempRepo } from '../helpers/git.js';
import { startGitLabStandin, type GitLabStandin, type StandinIssue } from '../helpers/gitlab-standin.js';
import { startStandinServer } from '../helpers/standin-http.js';

const TOKEN = 'glpat-dana-0123456789abcdef';
const PROJECT = 'acme/platform/widgets';

const issue = (iid: number, extra: Partial<StandinIssue> = {}): StandinIssue => ({
  iid,
  title: `Issue ${iid}`,
  state: 'opened',
  labels: [],
  assignees: ['dana'],
  ...extra,
});

async function failure(p: Promise<unknown>): Promise<TaskSourceError> {
  try {
    await p;
  } catch (err) {
    if (isTaskSourceError(err)) return err;
    throw err;
  }
  throw new Error('expected a TaskSourceError');
}

describe('GitLab remotes and endpoints', () => {
  it.each([
    ['https://gitlab.com/acme/platform/widgets.git', 'gitlab.com'],
    ['https://gitlab.com/acme/platform/widgets', 'gitlab.com'],
    ['git@gitlab.com:acme/platform/widgets.git', 'gitlab.com'],
    ['ssh://git@gitlab.example.com:2222/acme/platform/widgets.git', 'gitlab.example.com'],
  ])('%s is acme/platform/widgets on %s', (url, host) => {
    expect(parseGitLabRemote(url)).toEqual({ host, path: PROJECT });
  });

  it.each(['/srv/git/widgets.git', 'https://gitlab.com/acme', 'file:///x/y/z', 'https://gitlab.com/a/../b'])(
    '%s names no project',
    (url) => expect(parseGitLabRemote(url)).toBeUndefined(),
  );

  it.each([
    [{}, 'https://gitlab.com/api/v4', 'gitlab.com'],
    [{ host: 'gitlab.example.com' }, 'https://gitlab.example.com/api/v4', 'gitlab.example.com'],
    // As glab takes GITLAB_HOST: a URL does too.
    [{ host: 'https://gitlab.example.com' }, 'https://gitlab.example.com/api/v4', 'gitlab.example.com'],
    [{ api: 'https://gitlab.example.com/api/v4/' }, 'https://gitlab.example.com/api/v4', 'gitlab.example.com'],
    [{ api: 'http://127.0.0.1:8080/api/v4', host: 'gitlab.com' }, 'http://127.0.0.1:8080/api/v4', 'gitlab.com'],
  ])('%j is %s for %s', (own, api, host) => expect(gitlabEndpoint(own)).toEqual({ api, host }));

  it('a fix names the variable to set for the origin’s host', () => {
    expect(endpointFixFor('gitlab.com')).toContain('unset GITLAB_API_URL and GITLAB_HOST');
    expect(endpointFixFor('gitlab.example.com')).toContain('GITLAB_HOST=gitlab.example.com');
  });
});

describe('GitLab issues source', () => {
  let gl: GitLabStandin;
  let repo: TempRepo;
  let scratch: string;
  let cache: Cache;

  const options = (extra: Partial<GitLabOptions> = {}): GitLabOptions => ({
    api: gl.url,
    host: 'gitlab.example.com',
    issues: 'assigned',
    labels: [],
    words: GITLAB_LABEL_WORDS,
    timeoutMs: 30_000,
    ...extra,
  });
  const open = (extra: Partial<GitLabOptions> = {}, env: NodeJS.ProcessEnv = { GITLAB_TOKEN: TOKEN }) =>
    gitlabSource(options(extra), { cache, log: silentLogger(), env, root: repo.dir });
  const scope = (branch = 'main') => ({ projectRoot: repo.dir, project: 'widgets', branch });
  const lists = () => gl.requests.filter((r) => r.operation === 'GET /projects/{id}/issues');

  beforeEach(async () => {
    gl = await startGitLabStandin();
    repo = makeRepo({ name: 'widgets' });
    git(repo.dir, 'remote', 'add', 'origin', `git@gitlab.example.com:${PROJECT}.git`);
    scratch = mkdtempSync(path.join(os.tmpdir(), 'th-gitlab-'));
    cache = openCache({ home: scratch, log: silentLogger() });
  });
  afterEach(async () => {
    cache.close();
    await gl.close();
    repo.cleanup();
    rmSync(scratch, { recursive: true, force: true });
    expect(gl.violations).toEqual([]);
  });

  it('reads the viewer’s open issues: priority from scoped labels, status from workflow labels, the due date', async () => {
    gl.project(PROJECT).issues.push(
      issue(1, { labels: ['priority::high'], due_date: '2026-12-01' }),
      issue(2, { labels: ['P0', 'workflow::in progress'] }),
      issue(3, { labels: ['workflow::blocked'] }),
      issue(5, { assignees: ['sam'] }),
      issue(6, { state: 'closed' }),
    );
    const result = await open().pending(scope());
    expect(result.tasks.map((t) => [t.id, t.status, t.priority, t.dueDate])).toEqual([
      ['2', 'in_progress', 'critical', undefined],
      ['1', 'todo', 'high', '2026-12-01'],
      ['3', 'blocked', 'medium', undefined],
    ]);
    expect(result.next?.id).toBe('2');
    const query = new URLSearchParams(lists()[0]?.query);
    expect(Object.fromEntries(query)).toEqual({ state: 'opened', assignee_username: 'dana', per_page: '100' });
    // The project is named by its path, URL-encoded, nested groups and all.
    expect(lists()[0]?.path).toBe(`/api/v4/projects/${encodeURIComponent(PROJECT)}/issues`);
    expect(gl.requests.every((r) => r.privateToken === TOKEN && r.authorization === undefined)).toBe(true);
  });

  it.each(['headers', 'link'] as const)('reads 250 issues through every page (%s)', async (paging) => {
    gl.paging = paging;
    for (let n = 1; n <= 250; n++) gl.project(PROJECT).issues.push(issue(n));
    expect((await open().pending(scope())).tasks).toHaveLength(250);
    expect(lists().map((r) => new URLSearchParams(r.query).get('page'))).toEqual([null, '2', '3']);
  });

  it('puts the branch’s issue first, with its priority and due date, fetched when not in the list', async () => {
    gl.project(PROJECT).issues.push(
      issue(1, { labels: ['priority::high'] }),
      issue(12, { assignees: ['sam'], labels: ['priority::low'], due_date: '2026-12-24' }),
    );
    const result = await open().pending(scope('12-fix-login'));
    expect(result.next).toMatchObject({ id: '12', priority: 'low', dueDate: '2026-12-24', claimedBy: 'sam' });
    expect(result.tasks.map((t) => t.id)).toEqual(['12', '1']);
    const mine = await open().pending(scope('1-first'));
    expect(mine.tasks.map((t) => t.id)).toEqual(['1']);
  });

  it('a steady refresh asks only for what changed, and sees a closure and a reassignment', async () => {
    for (let n = 1; n <= 30; n++) gl.project(PROJECT).issues.push(issue(n, { description: 'x'.repeat(400) }));
    const source = open();
    const first = await source.pending(scope());
    const before = gl.requests.length;
    const wire = gl.wire();
    const second = await source.pending(scope());
    expect(second.tasks).toEqual(first.tasks);
    const again = gl.requests.slice(before);
    expect(again).toHaveLength(1);
    expect(Object.fromEntries(new URLSearchParams(again[0]?.query))).toMatchObject({
      state: 'all',
      order_by: 'updated_at',
      updated_after: expect.stringMatching(/^2026-/),
    });
    // Answered with no issue: `[]` and headers, not thirty issues again.
    expect(again[0]?.bytes).toBe(2);
    expect(gl.wire().sent - wire.sent).toBeLessThan(1024);
    const issues = gl.project(PROJECT).issues;
    const stamp = new Date(Date.now() + 1000).toISOString();
    Object.assign(issues[0] as StandinIssue, { state: 'closed', updated_at: stamp });
    Object.assign(issues[1] as StandinIssue, { assignees: ['sam'], updated_at: stamp });
    issues.push(issue(31, { title: 'New', updated_at: stamp }));
    const third = await source.pending(scope());
    expect(third.tasks.map((t) => t.id)).not.toContain('1');
    expect(third.tasks.map((t) => t.id)).not.toContain('2');
    expect(third.tasks.map((t) => t.id)).toContain('31');
    expect(third.tasks).toHaveLength(29);
    // Another process with the same cache merges from the same mark.
    const other = await open().pending(scope());
    expect(other.tasks.map((t) => t.id).sort()).toEqual(third.tasks.map((t) => t.id).sort());
  });

  it('reads the whole list again every 15 minutes: a deleted issue leaves no change to ask for', async () => {
    gl.project(PROJECT).issues.push(issue(1), issue(2));
    const source = open();
    await source.pending(scope());
    gl.project(PROJECT).issues.pop();
    expect((await source.pending(scope())).tasks.map((t) => t.id).sort()).toEqual(['1', '2']);
    const later = Date.now() + FULL_EVERY_MS + 1000;
    vi.spyOn(Date, 'now').mockReturnValue(later);
    try {
      expect((await source.pending(scope())).tasks.map((t) => t.id)).toEqual(['1']);
    } finally {
      vi.restoreAllMocks();
    }
    expect(lists().map((r) => new URLSearchParams(r.query).get('state'))).toEqual(['opened', 'all', 'opened']);
  });

  it('start, block, note, done and add are what GitLab does; show lists the notes', async () => {
    gl.project(PROJECT).issues.push(issue(3, { assignees: ['sam'], labels: ['workflow::blocked'] }));
    gl.tokens.set('glpat-sam-000000000000', 'sam');
    const source = open();
    const started = await source.setStatus('3', 'in_progress');
    expect(started).toMatchObject({ status: 'in_progress', assignees: ['dana', 'sam'] });
    expect(started.labels).toEqual(['workflow::in progress']);
    const put = gl.requests.find((r) => r.method === 'PUT');
    expect(put?.path).toBe(`/api/v4/projects/${encodeURIComponent(PROJECT)}/issues/3`);
    const blocked = await source.setStatus('3', 'blocked', { note: 'waiting on the API' });
    expect(blocked).toMatchObject({ status: 'blocked', labels: ['workflow::blocked'] });
    gl.project(PROJECT).notes.push({ iid: 3, body: 'added ~blocked label', username: 'dana', system: true });
    await source.addNote?.('3', 'more', {});
    const shown = await source.get('3');
    expect(shown.details).toBe('waiting on the API\n\nmore');
    const done = await source.setStatus('#3', 'done');
    expect(done.status).toBe('done');
    expect(gl.project(PROJECT).issues[0]?.state).toBe('closed');
    const made = await source.create(scope(), {
      title: 'Write docs',
      priority: 'high',
      description: 'All of them',
      dueDate: '2026-12-01',
    });
    expect(made).toMatchObject({ id: '4', priority: 'high', assignees: ['dana'], dueDate: '2026-12-01' });
    expect(gl.project(PROJECT).issues[1]).toMatchObject({ labels: ['priority: high'], description: 'All of them' });
    const reopened = await source.setStatus('3', 'todo');
    expect(reopened).toMatchObject({ status: 'todo', labels: [] });
  });

  it('a bad token, a missing project and a rate limit are each one line with the fix', async () => {
    gl.project(PROJECT).issues.push(issue(1));
    const bad = await failure(open({}, { GITLAB_TOKEN: 'glpat-wrong-000000000000' }).pending(scope()));
    expect(bad).toMatchObject({ kind: 'auth', status: 401 });
    expect(bad.fix).toContain('GITLAB_TOKEN');
    expect(bad.message).not.toContain('glpat-wrong');
    expect(bad.message.split('\n')).toHaveLength(1);
    git(repo.dir, 'remote', 'set-url', 'origin', 'https://gitlab.example.com/acme/gone');
    const gone = await failure(open().pending(scope()));
    expect(gone).toMatchObject({ kind: 'not_found' });
    expect(gone.fix).toContain('source.gitlab.project');
    git(repo.dir, 'remote', 'set-url', 'origin', `https://gitlab.example.com/${PROJECT}`);
    const reset = Math.floor(Date.now() / 1000) + 600;
    gl.fault({ status: 429, times: 1, headers: { 'retry-after': '600', 'ratelimit-reset': String(reset) } });
    const limited = await failure(open().pending(scope()));
    expect(limited.kind).toBe('rate_limited');
    expect(limited.message).toMatch(
      /GitLab rate limit reached .*: no requests until (\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d UTC/,
    );
    expect(limited.fix).toContain('cache clear --limits');
    // Remembered in the cache: another source (another process) asks nothing before the reset.
    const asked = gl.requests.length;
    expect((await failure(open().pending(scope()))).kind).toBe('rate_limited');
    expect(gl.requests.length).toBe(asked);
  });

  it('a 429 without Retry-After waits for RateLimit-Reset; a short one is waited out', async () => {
    gl.project(PROJECT).issues.push(issue(1));
    gl.fault({ status: 429, times: 1, headers: { 'retry-after': '1' }, path: /\/issues$/ });
    expect((await open().pending(scope())).tasks.map((t) => t.id)).toEqual(['1']);
    const reset = Math.floor(Date.now() / 1000) + 900;
    gl.fault({ status: 429, times: 1, headers: { 'ratelimit-reset': String(reset), 'ratelimit-remaining': '0' } });
    const limited = await failure(open({ labels: ['x'] }).pending(scope()));
    expect(limited.retryAfterMs).toBeGreaterThan(800_000);
  });

  it('an OAuth token is sent as Bearer', async () => {
    gl.tokens.set('oauth-dana', 'dana');
    gl.project(PROJECT).issues.push(issue(1));
    expect((await open({}, { OAUTH_TOKEN: 'oauth-dana' }).pending(scope())).tasks).toHaveLength(1);
    expect(gl.requests.every((r) => r.authorization === 'Bearer oauth-dana' && !r.privateToken)).toBe(true);
  });

  it('names another project in settings, and reads each scope’s own', async () => {
    gl.project('acme/gadgets').issues.push(issue(1, { title: 'A gadget' }));
    const tasks = (await open({ project: 'acme/gadgets' }).pending(scope())).tasks;
    expect(tasks.map((t) => t.title)).toEqual(['A gadget']);
  });

  it('the token reaches no host but the configured API, whatever the origin names', async () => {
    const evil = { requests: 0 };
    const listener = http.createServer((_req, res) => {
      evil.requests++;
      res.end('[]');
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as AddressInfo;
    try {
      git(repo.dir, 'remote', 'set-url', 'origin', `https://gitlab.com/${PROJECT}`);
      const refused = await failure(open().pending(scope()));
      expect(refused).toMatchObject({ kind: 'config' });
      expect(refused.fix).toContain('unset GITLAB_API_URL and GITLAB_HOST');
      git(repo.dir, 'remote', 'set-url', 'origin', `https://gitlab.example.com/${PROJECT}`);
      gl.project(PROJECT).issues.push(issue(1));
      gl.paging = 'link';
      gl.fault({
        status: 200,
        times: 1,
        path: /\/issues$/,
        body: '[]',
        headers: { link: `<http://127.0.0.1:${port}/api/v4/projects/1/issues?page=2>; rel="next"` },
      });
      expect(await failure(open().pending(scope()))).toMatchObject({ kind: 'protocol' });
      expect(evil.requests).toBe(0);
    } finally {
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
  });

  it('a hostile list says its own reason: a Link resolved against its page, another host, an answer too large', async () => {
    const elsewhere = await startStandinServer(() => ({ status: 200, body: [] }));
    const host = new URL(elsewhere.url).host;
    const nextIs = (link: string) =>
      gl.fault({ path: /\/issues$/, times: 1, status: 200, headers: { link: `<${link}>; rel="next"` }, body: '[]' });
    try {
      nextIs(`//${host}/api/v4/steal?page=2`);
      expect(await failure(open().pending(scope()))).toMatchObject({ short: `link to another host (${host})` });
      nextIs(`${elsewhere.url}/api/v4/steal?page=2`);
      const away = await failure(open().pending(scope()));
      expect(away.message).toContain(`GitLab pointed to another host (${host}): not followed`);
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await elsewhere.close();
    }
    gl.project(PROJECT).issues.push(issue(7));
    nextIs(
      `/api/v4/projects/${encodeURIComponent(PROJECT)}/issues?state=opened&assignee_username=dana&per_page=100&page=1`,
    );
    expect((await open().pending(scope())).tasks.map((t) => t.id)).toEqual(['7']);
    gl.fault({ path: /\/issues$/, times: 1, status: 200, body: `[${'0,'.repeat(9 * 1024 * 1024)}0]` });
    expect(await failure(open().pending(scope()))).toMatchObject({ kind: 'protocol', short: 'answer over 16 MiB' });
  });

  it('the stand-in refuses a request that breaks GitLab’s shapes', async () => {
    gl.project(PROJECT).issues.push(issue(1));
    const headers = { 'private-token': TOKEN, 'content-type': 'application/json' };
    const at = `${gl.url}/projects/${encodeURIComponent(PROJECT)}/issues`;
    const bad = [
      fetch(`${at}?assignee=dana`, { headers }),
      fetch(`${at}/1`, { method: 'PUT', headers, body: JSON.stringify({ add_labels: ['x'] }) }),
      fetch(`${at}`, { method: 'POST', headers, body: JSON.stringify({ description: 'no title' }) }),
      fetch(`${at}/1/comments`, { headers }),
      fetch(at, { headers: {} }),
    ];
    expect((await Promise.all(bad)).map((r) => r.status)).toEqual([400, 400, 400, 400, 400]);
    const seen = gl.violations.join('\n');
    for (const said of ['query parameter assignee not described', 'add_labels must be string', "property 'title'"])
      expect(seen).toContain(said);
    expect(seen).toMatch(/issues\/1\/comments: no operation described/);
    expect(seen).toMatch(/no PRIVATE-TOKEN and no Authorization: Bearer/);
    gl.violations.length = 0;
  });
});
