// Trackers that answer badly on purpose (a loopback server on 127.0.0.1): pages without end, a `next` that points back
// to a page already read, rate-limit headers with absurd values. A list is cut at its configured cap and says so, a
// loop is read once, only a list read to its end keeps its ETags, and a lockout lasts a day at most, saying until when
// and how to ask again now.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCache, type Cache } from '../../src/cache/cache.js';
import { clearLimits } from '../../src/cache/kv.js';
import { githubSource, type GitHubOptions } from '../../src/sources/github/source.js';
import type { Task } from '../../src/tasks/task.js';
import { DEFAULT_LABEL_WORDS } from '../../src/sources/github/words.js';
import { MAX_FIELD_CHARS } from '../../src/sources/list-cap.js';
import { readPages } from '../../src/sources/rest/issue-tracker.js';
import { rateLimited, rateLimitWaitMs } from '../../src/sources/rest/status.js';
import { MAX_WAIT_MS } from '../../src/util/retry-after.js';
import { z } from 'zod';
import { silentLogger } from '../helpers/cache.js';
import { taskSourceFailure } from '../helpers/errors.js';
import { makeRepo, type TempRepo } from '../helpers/git.js';
import { task } from '../helpers/hooks.js';

type Answer = { status?: number; headers?: Record<string, string>; items?: unknown[] };
/** What the hostile server answers for page `n` of the issue list (1-based), given its own URL. */
type PageFn = (n: number, self: string) => Answer;

const issueJson = (number: number) => ({
  id: number,
  number,
  title: `Issue ${number}`,
  state: 'open',
  labels: [],
  assignees: [{ login: 'dana' }],
  html_url: `https://github.com/acme/widgets/issues/${number}`,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
});

let server: http.Server;
let base: string;
let pageFn: PageFn;
let listRequests = 0;
let repo: TempRepo;
let scratch: string;
let cache: Cache;

beforeEach(async () => {
  listRequests = 0;
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    if (url.pathname === '/user') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ login: 'dana' }));
      return;
    }
    listRequests++;
    const n = Number(url.searchParams.get('page') ?? 1);
    const answer = pageFn(n, url.href);
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', etag: `"p${n}"`, ...answer.headers });
    res.end(JSON.stringify(answer.items ?? []));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  repo = makeRepo({ name: 'widgets' });
  scratch = mkdtempSync(path.join(os.tmpdir(), 'th-hostile-lists-'));
  cache = openCache({ home: scratch, log: silentLogger() });
});

afterEach(async () => {
  cache.close();
  rmSync(scratch, { recursive: true, force: true });
  repo.cleanup();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const open = (extra: Partial<GitHubOptions> = {}) =>
  githubSource(
    {
      api: base,
      host: 'github.com',
      repo: 'acme/widgets',
      issues: 'assigned',
      labels: [],
      words: DEFAULT_LABEL_WORDS,
      timeoutMs: 30_000,
      listCap: { pages: 50, items: 5000 },
      ...extra,
    },
    { cache, log: silentLogger(), env: { GH_TOKEN: 'gh-token-dana' }, root: repo.dir },
  );
const scope = { projectRoot: '/nonexistent', project: 'widgets', branch: 'main' };
const etagRows = (): number => (cache.db.prepare('SELECT COUNT(*) AS n FROM http_etags').get() as { n: number }).n;
/** Page n of a list without end: 100 issues each and always a next page. */
const endless: PageFn = (n, self) => {
  const next = new URL(self);
  next.searchParams.set('page', String(n + 1));
  return {
    items: Array.from({ length: 100 }, (_, i) => issueJson(n * 100 + i)),
    headers: { link: `<${next.href}>; rel="next"` },
  };
};

describe('a GitHub list that never ends', () => {
  it('is cut at source.maxPages, says so, and keeps no ETag of the unfinished list', async () => {
    pageFn = endless;
    const read = await open({ listCap: { pages: 7, items: 5000 } }).pending(scope);
    expect(listRequests).toBe(7);
    expect(read.tasks).toHaveLength(700);
    expect(read.note).toContain('more than 7 pages (source.maxPages)');
    expect(etagRows()).toBe(0);
  });

  it('is cut at source.maxItems, says so', async () => {
    pageFn = endless;
    const read = await open({ listCap: { pages: 50, items: 250 } }).pending(scope);
    expect(listRequests).toBe(3);
    expect(read.tasks).toHaveLength(250);
    expect(read.note).toContain('more than 250 items (source.maxItems)');
  });

  it('is cut at its byte budget, each long body cut as its page arrives, and says so', async () => {
    const body = 'b'.repeat(100 * 1024);
    pageFn = (n, self) => {
      const page = endless(n, self);
      return { ...page, items: page.items?.slice(0, 10).map((i) => ({ ...(i as object), body })) };
    };
    const budget = 2 * 1024 * 1024;
    const read = await open({ listCap: { pages: 50, items: 5000, bytes: budget } }).pending(scope);
    expect(read.tasks.length).toBeGreaterThan(10);
    expect(read.tasks.reduce((n, t) => n + JSON.stringify(t).length, 0)).toBeLessThanOrEqual(budget);
    expect(read.tasks.every((t) => t.description === `${body.slice(0, MAX_FIELD_CHARS)}…`)).toBe(true);
    expect(listRequests).toBeLessThan(10);
    expect(read.note).toContain('took more than 2 MiB, long fields cut');
    expect(etagRows()).toBe(0);
  });

  it('a next link back to itself is read once, counted once, and said', async () => {
    pageFn = (_n, self) => ({ items: [issueJson(1), issueJson(2)], headers: { link: `<${self}>; rel="next"` } });
    const read = await open().pending(scope);
    expect(listRequests).toBe(1);
    expect(read.tasks.map((t) => t.id).sort()).toEqual(['1', '2']);
    expect(read.note).toContain('pointed back to a page already read');
    expect(etagRows()).toBe(0);
  });

  it('a list read to its end keeps its ETags', async () => {
    pageFn = (n, self) => {
      const next = new URL(self);
      next.searchParams.set('page', String(n + 1));
      return { items: [issueJson(n)], ...(n < 3 ? { headers: { link: `<${next.href}>; rel="next"` } } : {}) };
    };
    const read = await open().pending(scope);
    expect(read.tasks).toHaveLength(3);
    expect(read.note).toBeUndefined();
    expect(etagRows()).toBe(3);
  });
});

describe('the trackers’ paged lists', () => {
  const item = z.object({ id: z.string() });
  const toTask = (i: { id: string }): Task => task(i.id);

  it('a cursor that comes back is a loop, read once', async () => {
    const cursors = ['a', 'b', 'a', 'b'];
    let calls = 0;
    const list = await readPages(
      async (cursor) => {
        calls++;
        return { items: [{ id: `on-${cursor ?? 'first'}` }], next: cursors[calls - 1] };
      },
      item,
      toTask,
      { pages: 50, items: 5000 },
    );
    expect(calls).toBe(3);
    expect(list.tasks.map((t) => t.id)).toEqual(['on-first', 'on-a', 'on-b']);
    expect(list.end).toBe('loop');
  });

  it('pages and items are capped as configured', async () => {
    const page = async (cursor: string | undefined) => ({
      items: Array.from({ length: 10 }, (_, i) => ({ id: `${cursor ?? 0}-${i}` })),
      next: String(Number(cursor ?? 0) + 1),
    });
    const byPages = await readPages(page, item, toTask, { pages: 4, items: 5000 });
    expect(byPages).toMatchObject({ end: 'pages' });
    expect(byPages.tasks).toHaveLength(40);
    const byItems = await readPages(page, item, toTask, { pages: 50, items: 25 });
    expect(byItems).toMatchObject({ end: 'items' });
    expect(byItems.tasks).toHaveLength(25);
  });

  it('a page of long fields is cut as it arrives, and the list stops at its byte budget', async () => {
    const long = z.object({ id: z.string(), body: z.string() });
    let pages = 0;
    const page = async (cursor: string | undefined) => {
      pages++;
      const items = Array.from({ length: 10 }, (_, i) => ({ id: `${cursor ?? 0}-${i}`, body: 'b'.repeat(200_000) }));
      return { items, next: String(Number(cursor ?? 0) + 1) };
    };
    const bodies: number[] = [];
    const list = await readPages(
      page,
      long,
      (i) => {
        bodies.push(i.body.length);
        return task(i.id);
      },
      { pages: 50, items: 5000, bytes: 1024 * 1024 },
    );
    expect(list.end).toBe('bytes');
    expect(bodies.every((n) => n === MAX_FIELD_CHARS + 1)).toBe(true);
    expect(bodies.length * (MAX_FIELD_CHARS + 1)).toBeLessThanOrEqual(1024 * 1024);
    expect(pages).toBe(2);
  });
});

describe('rate limits told with absurd values', () => {
  const headers = (h: Record<string, string>) => new Headers(h);
  const now = Date.UTC(2026, 10, 24, 8, 0, 0);

  it.each([
    ['Retry-After: 1000000000', { 'retry-after': '1000000000' }],
    ['Retry-After: 1e400', { 'retry-after': '9'.repeat(400) }],
    ['x-ratelimit-reset far away', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '99999999999999999999' }],
    ['Retry-After as a date in 2058', { 'retry-after': 'Wed, 21 Oct 2058 07:28:00 GMT' }],
  ])('%s waits a day at most, with a date and how to ask now', (_label, h) => {
    const wait = rateLimitWaitMs(headers(h), now);
    expect(wait).toBe(MAX_WAIT_MS);
    const err = rateLimited('https://api.github.com', 'GitHub', wait as number, now);
    expect(err.message).toContain('until 2026-11-25 08:00:00 UTC');
    expect(err.fix).toContain('taskhooks cache clear --limits');
  });

  it.each([['-5'], ['soon'], ['NaN'], ['']])('Retry-After %j is no wait told', (value) => {
    expect(rateLimitWaitMs(headers({ 'retry-after': value }), now)).toBeUndefined();
  });

  it('a lockout of today names the time alone', () => {
    expect(rateLimited('x', 'GitHub', 600_000, now).message).toContain('until 08:10:00 UTC (in 10 min)');
  });

  it('a huge Retry-After on a real answer locks out a day at most, and clearLimits lets the next read through', async () => {
    let limited = true;
    pageFn = () => (limited ? { status: 429, headers: { 'retry-after': '1000000000' } } : { items: [issueJson(1)] });
    const err = await taskSourceFailure(open().pending(scope));
    expect(err.kind).toBe('rate_limited');
    expect(err.retryAfterMs).toBeLessThanOrEqual(MAX_WAIT_MS);
    const lock = cache.db.prepare("SELECT value, expires_at FROM kv WHERE key LIKE 'github:rate-limited:%'").get() as {
      value: string;
      expires_at: number;
    };
    expect(Number(lock.value)).toBeLessThanOrEqual(Date.now() + MAX_WAIT_MS);
    limited = false;
    const asked = listRequests;
    expect((await taskSourceFailure(open().pending(scope))).kind).toBe('rate_limited');
    expect(listRequests).toBe(asked);
    expect(clearLimits(cache)).toBe(1);
    expect((await open().pending(scope)).tasks.map((t) => t.id)).toEqual(['1']);
  });
});
