// GitLab's REST API v4 as taskhooks uses it: a handful of endpoints over plain fetch. Lists are read by offset pages
// (`X-Next-Page`, else `Link: rel="next"`, 100 a page). GitLab answers no conditional request (it ignores
// `If-None-Match`): source.ts keeps a list between reads instead. The rate limits are obeyed: a limit hit is
// remembered in the cache and nothing is asked until it resets, across processes.
import { createHash } from 'node:crypto';
import type { Cache } from '../../cache/cache.js';
import { kvGet, kvSet } from '../../cache/kv.js';
import { TaskSourceError } from '../../errors/task-source.js';
import type { Logger } from '../../log/logger.js';
import { registerSecret } from '../../log/redact.js';
import { withRetry } from '../../resilience/retry.js';
import type { Deadline } from '../../util/deadline.js';
import { MAX_WAIT_MS } from '../../util/retry-after.js';
import { apiUrl, nextLink, type ListAnswer, type RateLeft } from '../github/client.js';
import { answerJson, httpRequest, type HttpAnswer } from '../http-request.js';
import { rateLimited, rateLimitWaitMs, statusError, type ServiceWords } from '../http-status.js';
import { DEFAULT_LIST_CAP, PageWalk, type ListCap } from '../list-cap.js';
import { noTokenFix, type GitLabToken } from './token.js';

export interface GitLabClientOptions {
  /** The REST API's base URL (`https://HOST/api/v4`): the only origin the token goes to. */
  api: string;
  /** The web host, for messages and fixes. */
  host: string;
  token: GitLabToken;
  cache: Cache;
  log: Logger;
}

export interface GitLabClient {
  readonly api: string;
  /** Names the token by a hash, never the token: what a kept answer is kept for. */
  readonly identity: string;
  get(path: string, query: Record<string, string>, deadline: Deadline): Promise<unknown>;
  /** Every page up to the cap: the items, and why the list ended (`complete` when read to its last page). */
  list(path: string, query: Record<string, string>, deadline: Deadline, cap?: ListCap): Promise<ListAnswer>;
  send(method: 'POST' | 'PUT', path: string, body: unknown, deadline: Deadline): Promise<unknown>;
  /** The rate limit as the last answer told it. */
  rateLeft(): RateLeft | undefined;
}

const PER_PAGE = 100;
const RETRY = { retries: 2, baseDelayMs: 250, jitterRatio: 0.2 };

interface Client {
  opts: GitLabClientOptions;
  base: string;
  origin: string;
  limitKey: string;
  words: ServiceWords;
  rate: RateLeft | undefined;
}

const urlOf = (c: Client, path: string, query: Record<string, string> = {}): string => apiUrl(c.base, path, query);

/** GitLab's `RateLimit-*` headers (its reset a Unix time), as sent on every answer under a limit. */
function noteRate(c: Client, headers: Headers): void {
  const remaining = Number(headers.get('ratelimit-remaining'));
  if (headers.has('ratelimit-remaining') && Number.isFinite(remaining)) {
    const reset = Number(headers.get('ratelimit-reset'));
    c.rate = { remaining, limit: Number(headers.get('ratelimit-limit')), resetAt: reset * 1000 };
  }
}

/** A 429 names its wait in `Retry-After`; without one, `RateLimit-Reset` says when the limit lifts. */
function limitHeaders(headers: Headers): Headers {
  const reset = Number(headers.get('ratelimit-reset'));
  if (headers.has('retry-after') || !(reset > 0)) return headers;
  const out = new Headers(headers);
  out.set('retry-after', String(Math.max(0, Math.ceil(reset - Date.now() / 1000))));
  return out;
}

async function once(c: Client, url: string, method: string, body: unknown, deadline: Deadline): Promise<HttpAnswer> {
  const { opts, base: place } = c;
  const until = kvGet<number>(opts.cache, c.limitKey);
  if (until !== undefined && until > Date.now() && until - Date.now() <= MAX_WAIT_MS)
    throw rateLimited(place, 'GitLab', until - Date.now());
  // Only the configured API's origin is ever sent the token: a `Link` elsewhere is refused before any request.
  if (new URL(url).origin !== c.origin) {
    throw new TaskSourceError('protocol', `GitLab pointed to another host (${new URL(url).host}): not followed`, {
      short: 'link to another host',
      place,
    });
  }
  const { token } = opts;
  const answer = await httpRequest({
    url,
    method: method as 'GET',
    headers: {
      ...(token.kind === 'oauth' ? { authorization: `Bearer ${token.token}` } : { 'private-token': token.token }),
      'user-agent': 'taskhooks',
    },
    body,
    deadline,
    place,
  });
  noteRate(c, answer.headers);
  if (answer.status >= 200 && answer.status < 300) return answer;
  const limited = answer.status === 429 ? { ...answer, headers: limitHeaders(answer.headers) } : answer;
  const error = statusError(limited, place, c.words);
  if (error.kind === 'rate_limited' && rateLimitWaitMs(limited.headers) !== undefined) {
    const until = Date.now() + (error.retryAfterMs ?? 0);
    kvSet(opts.cache, c.limitKey, until, Math.ceil((error.retryAfterMs ?? 0) / 1000));
    opts.log.warn({ place, until }, 'GitLab rate limit reached');
  }
  throw error;
}

function request(c: Client, url: string, method: string, body: unknown, deadline: Deadline): Promise<HttpAnswer> {
  return withRetry(() => once(c, url, method, body, deadline), { policy: RETRY, deadline });
}

function json(c: Client, answer: HttpAnswer, what: string): unknown {
  return answerJson(answer, c.base, what);
}

/** The next page's URL: `X-Next-Page` on the URL just read, else the `Link` header's, else none. */
function nextPage(url: string, headers: Headers): string | undefined {
  const page = headers.get('x-next-page');
  if (page && /^\d+$/.test(page)) {
    const next = new URL(url);
    next.searchParams.set('page', page);
    return next.href;
  }
  return page === '' ? undefined : nextLink(headers.get('link'));
}

async function list(
  c: Client,
  path: string,
  query: Record<string, string>,
  deadline: Deadline,
  cap: ListCap,
): Promise<ListAnswer> {
  const items: unknown[] = [];
  const first = urlOf(c, path, { ...query, per_page: String(PER_PAGE) });
  const walk = new PageWalk(cap, first);
  let url: string | undefined = first;
  while (url !== undefined) {
    const answer = await request(c, url, 'GET', undefined, deadline);
    const got = json(c, answer, `GET ${path}`);
    if (!Array.isArray(got)) {
      throw new TaskSourceError('protocol', `GitLab answered GET ${path} with no list (at ${c.base})`, {
        short: `unexpected GET ${path} answer`,
        place: c.base,
      });
    }
    items.push(...walk.take(got as unknown[]));
    const next = nextPage(url, answer.headers);
    url = walk.follow(next) ? next : undefined;
  }
  return { items, end: walk.end };
}

export function gitlabClient(opts: GitLabClientOptions): GitLabClient {
  const base = opts.api.replace(/\/+$/, '');
  registerSecret(opts.token.token);
  const identity = createHash('sha256').update(`${base}\n${opts.token.token}`).digest('hex').slice(0, 24);
  const c: Client = {
    opts,
    base,
    origin: new URL(base).origin,
    limitKey: `gitlab:rate-limited:${identity}`,
    words: {
      name: 'GitLab',
      authFix: `${noTokenFix(opts.host)}; the token must not be expired or revoked`,
      notFoundFix:
        'check the project path (the origin remote, or source.gitlab.project) and that the token can see the project',
    },
    rate: undefined,
  };
  return {
    api: base,
    identity,
    rateLeft: () => c.rate,
    async get(path, query, deadline) {
      return json(c, await request(c, urlOf(c, path, query), 'GET', undefined, deadline), `GET ${path}`);
    },
    list: (path, query, deadline, cap = DEFAULT_LIST_CAP) => list(c, path, query, deadline, cap),
    async send(method, path, body, deadline) {
      const answer = await request(c, urlOf(c, path), method, body, deadline);
      return answer.text === '' ? undefined : json(c, answer, `${method} ${path}`);
    },
  };
}
