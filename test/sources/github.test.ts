// The GitHub Issues source against the loopback stand-in held to GitHub's OpenAPI description: reads, the branch's
// issue, writes, conditional requests, rate limits, and where the token goes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCache, type Cache } from '../../src/cache/cache.js';
import { whoseLine } from '../../src/context/render.js';
import { isTaskSourceError, type TaskSourceError } from '../../src/errors/task-source.js';
import { endpointFixFor, githubEndpoint } from '../../src/sources/github/definition.js';
import { issueOfBranch } from '../../src/sources/github/issues.js';
import { DEFAULT_LABEL_WORDS } from '../../src/sources/github/words.js';
import { parseRemoteUrl, readOriginUrl } from '../../src/sources/github/remote.js';
import { githubSource, type GitHubOptions } from '../../src/sources/github/source.js';
import type { Task } from '../../src/tasks/task.js';
import { silentLogger } from '../helpers/cache.js';
import { git, makeRepo, type TempRepo } from '../helpers/git.js';
import { startGitHubStandin, type GitHubStandin, type StandinIssue } from '../helpers/github-standin.js';

const issue = (number: number, extra: Partial<StandinIssue> = {}): StandinIssue => ({
  number,
  title: `Issue ${number}`,
  state: 'open',
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

describe('GitHub remote and branch names', () => {
  it.each([
    ['https://github.com/acme/widgets.git', 'github.com'],
    ['https://github.com/acme/widgets', 'github.com'],
    ['git@github.com:acme/widgets.git', 'github.com'],
    ['ssh://git@github.com/acme/widgets.git', 'github.com'],
    ['ssh://git@ghe.corp.example:2222/acme/widgets.git', 'ghe.corp.example'],
    ['git://github.com/acme/widgets', 'github.com'],
  ])('%s is acme/widgets on %s', (url, host) => {
    expect(parseRemoteUrl(url)).toEqual({ host, owner: 'acme', repo: 'widgets' });
  });

  it.each(['/srv/git/widgets.git', 'https://github.com/acme', 'https://github.com/a/b/c', 'file:///x/y/z'])(
    '%s names no repository',
    (url) => expect(parseRemoteUrl(url)).toBeUndefined(),
  );

  it.each([
    ['12-fix-login', 12],
    ['fix/12-login', 12],
    ['issue-12', 12],
    ['gh-12', 12],
    ['feature/issue_7', 7],
    ['main', undefined],
    ['release-2026', undefined],
    ['v2-cleanup', undefined],
  ])('branch %s is issue %s', (branch, n) => expect(issueOfBranch(branch)).toBe(n));
});

describe("GitHub's API, from the settings", () => {
  it.each([
    [{}, 'https://api.github.com', 'github.com'],
    [{ host: 'github.com' }, 'https://api.github.com', 'github.com'],
    [{ api: 'https://api.github.com/' }, 'https://api.github.com', 'github.com'],
    [{ host: 'ghe.corp.example' }, 'https://ghe.corp.example/api/v3', 'ghe.corp.example'],
    [{ api: 'https://ghe.corp.example/api/v3/' }, 'https://ghe.corp.example/api/v3', 'ghe.corp.example'],
    [{ api: 'http://127.0.0.1:8080', host: 'github.com' }, 'http://127.0.0.1:8080', 'github.com'],
  ])('%j is %s for %s', (own, api, host) => {
    expect(githubEndpoint(own)).toEqual({ api, host });
  });

  it('a fix names the API of the origin: api.github.com for github.com, /api/v3 for GitHub Enterprise', () => {
    expect(endpointFixFor('github.com')).toContain('https://api.github.com');
    expect(endpointFixFor('github.com')).toContain('unset GITHUB_API_URL');
    expect(endpointFixFor('github.com')).not.toContain('github.com/api/v3');
    expect(endpointFixFor('ghe.corp.example')).toContain('GITHUB_API_URL=https://ghe.corp.example/api/v3');
  });
});

describe("a repository's config that is no file", () => {
  // A FIFO blocks a plain read forever and /dev/zero never ends: both are refused unread, in one line naming them.
  it.each([
    ['a FIFO', (f: string) => execFileSync('mkfifo', [f]), /could not be read \(ENOTREG: a FIFO, not a regular file\)/],
    [
      'a link to /dev/zero',
      (f: string) => symlinkSync('/dev/zero', f),
      /could not be read \(ENOTREG: a character device/,
    ],
  ])('.git/config as %s is a config error, not a hang', (_label, make, reason) => {
    const repo = makeRepo({ name: 'widgets' });
    try {
      const config = path.join(repo.dir, '.git', 'config');
      rmSync(config);
      make(config);
      let err: unknown;
      try {
        readOriginUrl(repo.dir);
      } catch (e) {
        err = e;
      }
      expect(isTaskSourceError(err)).toBe(true);
      expect(err).toMatchObject({ kind: 'config', place: config });
      expect((err as TaskSourceError).message).toMatch(reason);
      expect((err as TaskSourceError).fix).toContain('source.github.repo');
    } finally {
      repo.cleanup();
    }
  });

  it('a repository without a config file has no origin', () => {
    const repo = makeRepo({ name: 'widgets' });
    try {
      rmSync(path.join(repo.dir, '.git', 'config'));
      expect(readOriginUrl(repo.dir)).toBeUndefined();
    } finally {
      repo.cleanup();
    }
  });
});

describe('GitHub Issues source', () => {
  let gh: GitHubStandin;
  let repo: TempRepo;
  let scratch: string;
  let cache: Cache;

  const options = (extra: Partial<GitHubOptions> = {}): GitHubOptions => ({
    api: gh.url,
    host: 'github.com',
    issues: 'assigned',
    labels: [],
    words: DEFAULT_LABEL_WORDS,
    // The stand-in compiles GitHub's schemas on first use: slow on a busy machine, and no measure of anything.
    timeoutMs: 30_000,
    ...extra,
  });
  const open = (extra: Partial<GitHubOptions> = {}, env: NodeJS.ProcessEnv = { GH_TOKEN: 'gh-token-dana' }) =>
    githubSource(options(extra), { cache, log: silentLogger(), env, root: repo.dir });
  const scope = (branch = 'main') => ({ projectRoot: repo.dir, project: 'widgets', branch });

  beforeEach(async () => {
    gh = await startGitHubStandin();
    repo = makeRepo({ name: 'widgets' });
    git(repo.dir, 'remote', 'add', 'origin', 'git@github.com:acme/widgets.git');
    scratch = mkdtempSync(path.join(os.tmpdir(), 'th-github-'));
    cache = openCache({ home: scratch, log: silentLogger() });
  });
  afterEach(async () => {
    cache.close();
    await gh.close();
    repo.cleanup();
    rmSync(scratch, { recursive: true, force: true });
    expect(gh.violations).toEqual([]);
  });

  it('reads the open issues assigned to the viewer, without pull requests, priority and status from labels', async () => {
    gh.repo('acme/widgets').issues.push(
      issue(1, { labels: ['priority: high'] }),
      issue(2, { labels: ['P0', 'in progress'] }),
      issue(3, { labels: ['blocked'] }),
      issue(4, { pull: true }),
      issue(5, { assignees: ['sam'] }),
      issue(6, { state: 'closed' }),
    );
    const result = await open().pending(scope());
    expect(result.tasks.map((t) => [t.id, t.status, t.priority])).toEqual([
      ['2', 'in_progress', 'critical'],
      ['1', 'todo', 'high'],
      ['3', 'blocked', 'medium'],
    ]);
    // The next task comes with the list, so a refresh lists once even where the branch names no issue.
    expect(result.next?.id).toBe('2');
    const list = gh.requests.find((r) => r.operation === 'GET /repos/{owner}/{repo}/issues');
    expect(new URLSearchParams(list?.query).get('assignee')).toBe('dana');
    expect(new URLSearchParams(list?.query).get('per_page')).toBe('100');
  });

  it('reads every open issue when asked, and another assignee holds the issue', async () => {
    gh.repo('acme/widgets').issues.push(issue(1), issue(5, { assignees: ['sam'] }), issue(7, { assignees: [] }));
    const { tasks } = await open({ issues: 'all', labels: ['bug'] }).pending(scope());
    expect(tasks).toEqual([]);
    gh.repo('acme/widgets').issues.forEach((i) => i.labels.push('bug'));
    const all = await open({ issues: 'all', labels: ['bug'] }).pending(scope());
    const theirs = all.tasks.find((t) => t.id === '5');
    expect(theirs).toMatchObject({ status: 'in_progress', claimedBy: 'sam' });
    // The assignee is the claim: the context names who holds it.
    expect(whoseLine(theirs as Task, 'dana')).toBe(' — in progress by sam');
    expect(all.tasks.find((t) => t.id === '7')).toMatchObject({ status: 'todo' });
    expect(all.tasks.find((t) => t.id === '1')?.claimedBy).toBeUndefined();
  });

  it("puts the branch's issue first, fetched when it is not in the list", async () => {
    gh.repo('acme/widgets').issues.push(issue(1), issue(12, { assignees: ['sam'] }));
    const result = await open().pending(scope('fix/12-login'));
    expect(result.next?.id).toBe('12');
    expect(result.tasks.map((t) => t.id)).toEqual(['12', '1']);
  });

  it('the second read with nothing changed is answered 304 and downloads no body', async () => {
    gh.repo('acme/widgets').issues.push(issue(1), issue(2));
    const source = open();
    const first = await source.pending(scope());
    const before = gh.requests.length;
    const remaining = gh.rate.remaining;
    const wire = gh.wire();
    const second = await source.pending(scope());
    expect(second.tasks).toEqual(first.tasks);
    const again = gh.requests.slice(before);
    expect(again.length).toBeGreaterThan(0);
    expect(again.every((r) => r.status === 304 && r.bytes === 0 && r.ifNoneMatch)).toBe(true);
    // What crossed the wire was a status line and headers: well under one issue's JSON (≈ 3 KB) per answer.
    expect((gh.wire().sent - wire.sent) / again.length).toBeLessThan(1024);
    expect(gh.rate.remaining).toBe(remaining);
    const listUrl = `${gh.url}/repos/acme/widgets/issues?state=open&assignee=dana&per_page=100`;
    const kept = cache.db.prepare('SELECT url, etag FROM http_etags').all() as Array<{ url: string; etag: string }>;
    expect(kept.map((k) => k.url)).toContain(listUrl);
    expect(kept.find((k) => k.url === listUrl)?.etag).toBe(again.find((r) => r.path.endsWith('/issues'))?.ifNoneMatch);
  });

  it('a change is read again: the ETag no longer matches', async () => {
    gh.repo('acme/widgets').issues.push(issue(1));
    const source = open();
    await source.pending(scope());
    gh.repo('acme/widgets').issues.push(issue(2, { title: 'New' }));
    expect((await source.pending(scope())).tasks.map((t) => t.id).sort()).toEqual(['1', '2']);
  });

  it('start assigns the viewer and labels it; block, note, done and add are what GitHub does', async () => {
    gh.repo('acme/widgets').issues.push(issue(3, { assignees: [], labels: ['blocked'] }));
    const source = open();
    await source.pending(scope());
    const started = await source.setStatus('3', 'in_progress');
    expect(started).toMatchObject({ status: 'in_progress', assignees: ['dana'], labels: ['in progress'] });
    const blocked = await source.setStatus('3', 'blocked', { note: 'waiting on the API' });
    expect(blocked).toMatchObject({ status: 'blocked', labels: ['blocked'] });
    expect(gh.repo('acme/widgets').comments).toEqual([{ number: 3, body: 'waiting on the API', login: 'dana' }]);
    await source.addNote?.('3', 'more', {});
    const done = await source.setStatus('#3', 'done');
    expect(done.status).toBe('done');
    expect(gh.repo('acme/widgets').issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    const made = await source.create(scope(), { title: 'Write docs', priority: 'high', description: 'All of them' });
    expect(made).toMatchObject({ id: '4', title: 'Write docs', priority: 'high', assignees: ['dana'] });
    expect(gh.repo('acme/widgets').issues[1]).toMatchObject({ labels: ['priority: high'], body: 'All of them' });
  });

  it('errors: bad token, no such repository, a rate limit with when, an unreadable answer, one odd issue', async () => {
    gh.repo('acme/widgets').issues.push(issue(1), issue(2, { raw: { number: 'two' } }));
    const bad = await failure(open({}, { GH_TOKEN: 'nope' }).pending(scope()));
    expect(bad).toMatchObject({ kind: 'auth', status: 401 });
    expect(bad.message).not.toContain('nope');
    const odd = await open().pending(scope());
    expect(odd.tasks.map((t) => t.id)).toEqual(['1']);
    expect(odd.note).toMatch(/^1 task left out: the server's answer did not fit \(item 0: number: /);
    git(repo.dir, 'remote', 'set-url', 'origin', 'https://github.com/acme/gone');
    expect(await failure(open().pending(scope()))).toMatchObject({ kind: 'not_found' });
    git(repo.dir, 'remote', 'set-url', 'origin', 'https://github.com/acme/widgets');
    const reset = Math.floor(Date.now() / 1000) + 600;
    gh.fault({ status: 403, times: 1, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) } });
    const limited = await failure(open().pending(scope()));
    expect(limited.kind).toBe('rate_limited');
    expect(limited.message).toContain(new Date(reset * 1000).toISOString().slice(11, 19));
    // Remembered: nothing is asked before the reset.
    const asked = gh.requests.length;
    expect((await failure(open().pending(scope()))).kind).toBe('rate_limited');
    expect(gh.requests.length).toBe(asked);
  });

  it('secondary limits are backed off by Retry-After, and malformed answers are protocol errors', async () => {
    gh.repo('acme/widgets').issues.push(issue(1));
    gh.fault({ status: 429, times: 1, headers: { 'retry-after': '1' }, path: /\/issues$/ });
    expect((await open().pending(scope())).tasks.map((t) => t.id)).toEqual(['1']);
    const retried = gh.requests.filter((r) => r.path.endsWith('/issues'));
    expect(retried.map((r) => r.status)).toEqual([429, 200]);
    gh.fault({ status: 200, times: 1, body: '{"not json', path: /\/issues$/ });
    expect(await failure(open().pending(scope()))).toMatchObject({ kind: 'protocol' });
  });

  it('a server that is down is unavailable', async () => {
    await gh.close();
    const source = githubSource(options({ api: gh.url }), {
      cache,
      log: silentLogger(),
      env: { GH_TOKEN: 'x' },
      root: repo.dir,
    });
    expect(await failure(source.pending(scope()))).toMatchObject({ kind: 'unavailable' });
    gh = await startGitHubStandin();
  });

  it('the token reaches no host but the configured API, whatever the origin names', async () => {
    const evil = { requests: 0, authorization: [] as string[] };
    const listener = http.createServer((req, res) => {
      evil.requests++;
      if (req.headers.authorization) evil.authorization.push(req.headers.authorization);
      res.end('[]');
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as AddressInfo;
    try {
      git(repo.dir, 'remote', 'set-url', 'origin', `http://127.0.0.1:${port}/acme/widgets`);
      const refused = await failure(open().pending(scope()));
      expect(refused).toMatchObject({ kind: 'config' });
      expect(refused.fix).toContain('GITHUB_API_URL');
      git(repo.dir, 'remote', 'set-url', 'origin', `https://evil.example/acme/widgets`);
      expect(await failure(open().pending(scope()))).toMatchObject({ kind: 'config' });
      // A `Link` to another host is not followed either.
      gh.repo('acme/widgets').issues.push(issue(1));
      git(repo.dir, 'remote', 'set-url', 'origin', 'https://github.com/acme/widgets');
      gh.fault({
        status: 200,
        times: 1,
        path: /\/issues$/,
        body: '[]',
        headers: { link: `<http://127.0.0.1:${port}/repos/acme/widgets/issues?page=2>; rel="next"` },
      });
      expect(await failure(open().pending(scope()))).toMatchObject({ kind: 'protocol' });
      expect(evil).toEqual({ requests: 0, authorization: [] });
      expect(gh.requests.every((r) => r.authorization === 'Bearer gh-token-dana')).toBe(true);
    } finally {
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
  });

  it('an origin on github.com, with GitHub Enterprise configured, is told to use api.github.com', async () => {
    const refused = await failure(open({ host: 'ghe.corp.example', api: gh.url }).pending(scope()));
    expect(refused).toMatchObject({ kind: 'config' });
    expect(refused.fix).toContain('https://api.github.com');
    expect(refused.fix).not.toContain('github.com/api/v3');
    expect(gh.requests).toEqual([]);
  });

  it('each call reads the repository it is about: a scope of another checkout leaves later calls on their own', async () => {
    const other = makeRepo({ name: 'gadgets' });
    try {
      git(other.dir, 'remote', 'add', 'origin', 'https://github.com/acme/gadgets');
      gh.repo('acme/widgets').issues.push(issue(1, { title: 'A widget' }));
      gh.repo('acme/gadgets').issues.push(issue(1, { title: 'A gadget' }));
      const source = open();
      const theirs = await source.pending({ projectRoot: other.dir, project: 'gadgets', branch: 'main' });
      expect(theirs.tasks.map((t) => t.title)).toEqual(['A gadget']);
      // The source was opened for widgets: a call without a scope stays there, whatever was read before it.
      expect((await source.get('1'))?.title).toBe('A widget');
      expect(source.server()).toBe(`${gh.url}/repos/acme/widgets`);
    } finally {
      other.cleanup();
    }
  });

  it("the stand-in refuses a request that breaks GitHub's description", async () => {
    gh.repo('acme/widgets').issues.push(issue(1));
    const headers = { authorization: 'Bearer gh-token-dana', accept: 'application/vnd.github+json', 'user-agent': 't' };
    const bad = [
      fetch(`${gh.url}/repos/acme/widgets/issues?state=bogus`, { headers }),
      fetch(`${gh.url}/repos/acme/widgets/issues?sort_by=none`, { headers }),
      fetch(`${gh.url}/repos/acme/widgets/issues/1/labels`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ labels: 'in progress' }),
      }),
      fetch(`${gh.url}/repos/acme/widgets/issues/1`, { headers: { ...headers, accept: 'text/html' } }),
      fetch(`${gh.url}/repos/acme/widgets/tickets`, { headers }),
    ];
    expect((await Promise.all(bad)).map((r) => r.status)).toEqual([400, 400, 400, 400, 400]);
    expect(gh.violations).toHaveLength(5);
    expect(gh.violations.join('\n')).toMatch(/state=bogus invalid[\s\S]*sort_by not described[\s\S]*body/);
    gh.violations.length = 0;
  });

  it('reads 1,000 issues through Link pagination, then none again on a 304', async () => {
    for (let n = 1; n <= 1000; n++) gh.repo('acme/widgets').issues.push(issue(n));
    const source = open();
    expect((await source.pending(scope())).tasks).toHaveLength(1000);
    const pages = gh.requests.filter((r) => r.path.endsWith('/issues'));
    expect(pages).toHaveLength(10);
    await source.pending(scope());
    const again = gh.requests.filter((r) => r.path.endsWith('/issues')).slice(10);
    expect(again.every((r) => r.status === 304 && r.bytes === 0)).toBe(true);
  });
});
