// GitHub's REST API as taskhooks uses it: a handful of endpoints, so plain fetch rather than octokit (no runtime
// dependency in the network bundle, and the ETag handling is ours to control). Every GET is conditional: the last
// answer is kept in the cache with its ETag, a 304 brings it back and costs no rate limit. Lists follow `Link` pages.
// The rate limits are obeyed: a limit hit is remembered in the cache and nothing is asked until it resets.
import { createHash } from 'node:crypto';
import type { Cache } from '../../cache/cache.js';
import { readEtag, touchEtag, writeEtag } from '../../cache/etags.js';
import { kvGet, kvSet } from '../../cache/kv.js';
import { TaskSourceError } from '../../errors/task-source.js';
import type { Logger } from '../../log/logger.js';
import { registerSecret } from '../../log/redact.js';
import { withRetry } from '../../resilience/retry.js';
import type { Deadline } from '../../util/deadline.js';
import { MAX_WAIT_MS } from '../../util/retry-after.js';
import { answerJson, httpRequest, type HttpAnswer } from '../http-request.js';
import { rateLimited, rateLimitWaitMs, statusError, type ServiceWords } from '../http-status.js';
import { DEFAULT_LIST_CAP, PageWalk, type ListCap, type ListEnd } from '../list-cap.js';
import { noTokenFix } from './token.js';

export interface GitHubClientOptions {
  /** The REST API's base URL (`https://api.github.com`, `https://HOST/api/v3`): the only origin the token goes to. */
  api: string;
  /** The web host, for messages and fixes. */
  host: string;
  token: string;
  cache: Cache;
  log: Logger;
}

export interface RateLeft {
  remaining: number;
  limit: number;
  resetAt: number;
}

const PER_PAGE = 100;
/** A kept answer read again is marked used at most this often, so a 304 writes nothing most of the time. */
const TOUCH_EVERY_MS = 3600_000;

const RETRY = { retries: 2, baseDelayMs: 250, jitterRatio: 0.2 };

export interface GitHubClient {
  readonly api: string;
  get(path: string, query: Record<string, string>, deadline: Deadline): Promise<unknown>;
  /** Every page up to the cap: the items, and why the list ended (`complete` when read to its last page). */
  list(path: string, query: Record<string, string>, deadline: Deadline, cap?: ListCap): Promise<ListAnswer>;
  send(method: 'POST' | 'PATCH' | 'DELETE', path: string, body: unknown, deadline: Deadline): Promise<unknown>;
  /** The rate limit as the last answer told it. */
  rateLeft(): RateLeft | undefined;
}

export interface ListAnswer {
  items: unknown[];
  end: ListEnd;
}

/** The `rel="next"` URL of a `Link` header. */
export function nextLink(link: string | null): string | undefined {
  for (const part of (link ?? '').split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

/** What the client's requests share: the API's base and origin, the token's identity, and the rate last told. */
interface Client {
  opts: GitHubClientOptions;
  base: string;
  origin: string;
  place: string;
  identity: string;
  limitKey: string;
  words: ServiceWords;
  rate: RateLeft | undefined;
}

/** A REST API's URL for `path` under `base`, with `query`. */
export function apiUrl(base: string, path: string, query: Record<string, string> = {}): string {
  const url = new URL(`${base}${path}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.href;
}

const urlOf = (c: Client, path: string, query: Record<string, string> = {}): string => apiUrl(c.base, path, query);

function noteRate(c: Client, answer: HttpAnswer): void {
  const remaining = Number(answer.headers.get('x-ratelimit-remaining'));
  const limit = Number(answer.headers.get('x-ratelimit-limit'));
  const reset = Number(answer.headers.get('x-ratelimit-reset'));
  if (answer.headers.has('x-ratelimit-remaining') && Number.isFinite(remaining)) {
    c.rate = { remaining, limit, resetAt: reset * 1000 };
  }
}

/** One call to the API: where, how, and the ETag of the answer kept for it. */
interface Call {
  url: string;
  method: string;
  body?: unknown;
  etag?: string | undefined;
  deadline: Deadline;
}

async function once(c: Client, { url, method, body, etag, deadline }: Call): Promise<HttpAnswer> {
  const { opts, place } = c;
  const until = kvGet<number>(opts.cache, c.limitKey);
  // A lockout kept from before waits were clamped (years away) is not obeyed: no limit lasts that long.
  if (until !== undefined && until > Date.now() && until - Date.now() <= MAX_WAIT_MS)
    throw rateLimited(place, 'GitHub', until - Date.now());
  // Only the configured API's origin is ever sent the token: a `Link` elsewhere is refused before any request.
  if (new URL(url).origin !== c.origin) {
    throw new TaskSourceError('protocol', `GitHub pointed to another host (${new URL(url).host}): not followed`, {
      short: 'link to another host',
      place,
    });
  }
  const answer = await httpRequest({
    url,
    method: method as 'GET',
    headers: {
      authorization: `Bearer ${opts.token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': 'taskhooks',
      ...(etag ? { 'if-none-match': etag } : {}),
    },
    body,
    deadline,
    place,
  });
  noteRate(c, answer);
  if ((answer.status >= 200 && answer.status < 300) || answer.status === 304) return answer;
  const error = statusError(answer, place, c.words);
  if (error.kind === 'rate_limited' && rateLimitWaitMs(answer.headers) !== undefined) {
    kvSet(opts.cache, c.limitKey, Date.now() + (error.retryAfterMs ?? 0), Math.ceil((error.retryAfterMs ?? 0) / 1000));
    opts.log.warn({ place, until: Date.now() + (error.retryAfterMs ?? 0) }, 'GitHub rate limit reached');
  }
  throw error;
}

function request(c: Client, call: Call): Promise<HttpAnswer> {
  return withRetry(() => once(c, call), { policy: RETRY, deadline: call.deadline });
}

interface Conditional {
  body: string;
  link: string | null;
  /** Keeps the answer with its ETag; a list calls it only once it was read to its end. */
  keep: () => void;
}

/** One conditional GET: the kept answer on 304, else the new one, which `keep` stores with its ETag. */
async function conditional(c: Client, url: string, deadline: Deadline): Promise<Conditional> {
  const { cache } = c.opts;
  const kept = readEtag(cache, url, c.identity);
  const answer = await request(c, { url, method: 'GET', etag: kept?.etag, deadline });
  if (answer.status === 304 && kept) {
    if (Date.now() - kept.usedAt > TOUCH_EVERY_MS) touchEtag(cache, url, c.identity);
    return { ...kept, keep: () => undefined };
  }
  const link = answer.headers.get('link');
  const etag = answer.headers.get('etag');
  const keep = (): void => {
    if (etag) writeEtag(cache, url, c.identity, { etag, body: answer.text, link });
  };
  return { body: answer.text, link, keep };
}

function json(c: Client, text: string, what: string): unknown {
  return answerJson({ status: 200, headers: new Headers(), text, url: c.base }, c.place, what);
}

/**
 * Every page from the first, following `Link: next` until none, one already read, or the cap. The pages' ETags are
 * kept only when the list was read to its end: the answers of a list without end would fill the cache, and a kept
 * first page of it would bring back a list that was never whole.
 */
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
  const keeps: Array<() => void> = [];
  let url: string | undefined = first;
  while (url !== undefined) {
    const { body, link, keep } = await conditional(c, url, deadline);
    keeps.push(keep);
    const got = json(c, body, `GET ${path}`);
    if (!Array.isArray(got)) {
      throw new TaskSourceError('protocol', `GitHub answered GET ${path} with no list (at ${c.place})`, {
        short: `unexpected GET ${path} answer`,
        place: c.place,
      });
    }
    items.push(...walk.take(got as unknown[]));
    const next = nextLink(link);
    url = walk.follow(next) ? next : undefined;
  }
  if (walk.end === 'complete') for (const keep of keeps) keep();
  else c.opts.log.warn({ place: c.place, path, end: walk.end, cap }, 'GitHub list cut short: its ETags are not kept');
  return { items, end: walk.end };
}

// The house keeps every function under 100 lines: the factory only builds the context, each request step is above.
export function githubClient(opts: GitHubClientOptions): GitHubClient {
  const base = opts.api.replace(/\/+$/, '');
  registerSecret(opts.token);
  // Answers kept for one token are never shown to another: the key names the token by a hash, never the token.
  const identity = createHash('sha256').update(`${base}\n${opts.token}`).digest('hex').slice(0, 24);
  const c: Client = {
    opts,
    base,
    origin: new URL(base).origin,
    place: base,
    identity,
    limitKey: `github:rate-limited:${identity}`,
    words: {
      name: 'GitHub',
      authFix: `${noTokenFix(opts.host)}; a fine-grained token needs Issues: read and write on the repository`,
      notFoundFix:
        'check the owner/repo (the origin remote, or source.github.repo) and that the token can see the repository',
    },
    rate: undefined,
  };

  return {
    api: base,
    rateLeft: () => c.rate,
    async get(path, query, deadline) {
      return json(c, (await conditional(c, urlOf(c, path, query), deadline)).body, `GET ${path}`);
    },
    list: (path, query, deadline, cap = DEFAULT_LIST_CAP) => list(c, path, query, deadline, cap),
    async send(method, path, body, deadline) {
      const answer = await request(c, { url: urlOf(c, path), method, body, deadline });
      return answer.text === '' ? undefined : json(c, answer.text, `${method} ${path}`);
    },
  };
}
