// The one client every REST tracker (GitHub, GitLab, Jira, Linear, Azure DevOps) sends its requests through: the
// credential goes over https, to the configured API's origin only; transient failures are sent again; a rate limit is
// remembered across processes and waited out when it ends within the caller's deadline; an answer outside 2xx becomes
// one TaskSourceError in the service's words; lists are read page by page up to their cap. A tracker's folder keeps
// only its mapping: its paths, its headers, what its answers mean.
import type { Cache } from '../../cache/cache.js';
import { kvGet, kvSet } from '../../cache/kv.js';
import { isTaskSourceError, TaskSourceError } from '../../errors/task-source.js';
import type { Logger } from '../../log/logger.js';
import { withRetry } from '../../resilience/retry.js';
import { sleep, type Deadline } from '../../util/deadline.js';
import { MAX_WAIT_MS } from '../../util/retry-after.js';
import { PageWalk, type ListCap, type ListEnd } from '../list-cap.js';
import { answerJson, httpRequest, type HttpAnswer } from './http.js';
import { rateLimited, rateLimitWaitMs, statusError, type ServiceWords } from './status.js';
import { shownHome } from '../../home/dir.js';

export interface RestClientOptions {
  /** The API's base URL, no trailing slash: its origin is the only one the credential is sent to. */
  base: string;
  /** What messages name: the base, or a place under it (Azure DevOps' project). */
  place?: string;
  words: ServiceWords;
  /** Sent with every request: the credential and the service's own headers. */
  headers: Record<string, string>;
  /**
   * The person set the base in their own config file or environment: only such a URL may be plain http. A URL read
   * from the repository (its origin remote) never carries a credential in clear text.
   */
  setByPerson: boolean;
  /** How to name an https URL instead, when a plain-http one is refused. */
  httpsFix?: string;
  /** Transient failures (refused, reset, 5xx) sent again this many times; none by default. */
  retries?: number;
  /** A rate limit told is remembered under `key` (per token, by a hash), so no process asks again until it ends. */
  lockout?: { cache: Cache; log: Logger; key: string };
  /**
   * Each answer before its status is judged: notes what it tells of the rate limit, and returns the error an answer
   * means in the service's own terms (a GraphQL error, a sign-in page), when it means one the status does not say.
   */
  inspect?: (answer: HttpAnswer, call: RestCall) => TaskSourceError | undefined;
}

export interface RestCall {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** An absolute URL (a page a list named), or a path under the base. */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  deadline: Deadline;
  /** What the call is, in messages about its answer ("issue ENG-1"). */
  what?: string;
}

/** What a list read: its items, and why it ended (`complete` when read to its last page). */
export interface ListAnswer {
  items: unknown[];
  end: ListEnd;
}

/** The text and headers of one page of a list, however it was read (GitHub's kept answers on a 304). */
export interface Page {
  text: string;
  headers: Headers;
}

export interface RestClient {
  /** What messages name. */
  readonly place: string;
  /** The URL of `path` under the base, with `query`. */
  url(path: string, query?: Record<string, string>): string;
  /** A 2xx answer (or 304), the request sent again and the rate waited out as the deadline allows; else the error. */
  send(call: RestCall): Promise<HttpAnswer>;
  /** The answer's JSON, or a protocol error naming `what` was asked. */
  json(text: string, what: string): unknown;
  /** Every page from `first` on, up to the cap; `read` reads one page (a plain GET unless given). */
  list(
    first: string,
    what: string,
    deadline: Deadline,
    cap: ListCap,
    read?: (url: string) => Promise<Page>,
  ): Promise<ListAnswer>;
  /** No request until `waitMs` from now, in any process: a service that slows a token down says so on a 2xx. */
  lockOut(waitMs: number): void;
}

/** Time kept back from the deadline for the request sent after a rate limit's wait. */
const MARGIN_MS = 250;
const RETRY = { baseDelayMs: 250, jitterRatio: 0.2 };

/** The `rel="next"` target of a `Link` header, as written (it may be relative to the page). */
function nextLinkTarget(link: string | null): string | undefined {
  for (const part of (link ?? '').split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

/**
 * The next page's URL after `url`: `X-Next-Page` (GitLab) on the URL just read, else the `Link` header's next,
 * resolved against the page as a browser would (`//host/…`, `/path`), so the origin check judges where it leads.
 */
function nextPage(url: string, headers: Headers, place: string): string | undefined {
  const page = headers.get('x-next-page');
  if (page && /^\d+$/.test(page)) {
    const next = new URL(url);
    next.searchParams.set('page', page);
    return next.href;
  }
  const target = page === '' ? undefined : nextLinkTarget(headers.get('link'));
  if (target === undefined) return undefined;
  try {
    return new URL(target, url).href;
  } catch {
    throw new TaskSourceError('protocol', `${place} named a next page that is no URL: ${target.slice(0, 80)}`, {
      short: 'unreadable next-page link',
      place,
    });
  }
}

/** The refusal of a URL the credential may not go to: another host, or plain http the person did not set. */
function refusal(o: RestClientOptions, origin: string, url: URL, place: string): TaskSourceError | undefined {
  if (url.origin !== origin) {
    const where = url.host === new URL(origin).host ? `${url.protocol}//${url.host}` : url.host;
    return new TaskSourceError('protocol', `${o.words.name} pointed to another host (${where}): not followed`, {
      short: `link to another host (${where})`,
      place,
    });
  }
  if (url.protocol === 'https:' || o.setByPerson) return undefined;
  return new TaskSourceError(
    'config',
    `${o.words.name} at ${origin} is plain http, and you did not set that URL: the credential goes over https only`,
    {
      short: 'plain http refused',
      place,
      fix:
        o.httpsFix ??
        `use the https URL; a server that speaks only plain http must be named in your own ${shownHome(['config.json'])} or environment`,
    },
  );
}

/** A call that fails for its rate limit is sent once more after the wait it was told, when that ends in time. */
async function obeyingRateLimit<T>(deadline: Deadline, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    if (!isTaskSourceError(err) || err.kind !== 'rate_limited') throw err;
    const wait = err.retryAfterMs ?? Number.POSITIVE_INFINITY;
    if (wait + MARGIN_MS >= deadline.left()) throw err;
    await sleep(wait, deadline.signal);
    return send();
  }
}

/** What a client's requests share: its options, the base, the one origin the credential goes to, the lockout. */
interface Ctx {
  o: RestClientOptions;
  base: string;
  origin: string;
  place: string;
  lockOut(waitMs: number): void;
}

/** One request: refused before it is sent when locked out or bound elsewhere; its answer judged in the service's words. */
async function once(c: Ctx, call: RestCall): Promise<HttpAnswer> {
  const { o, place } = c;
  const until = o.lockout ? kvGet<number>(o.lockout.cache, o.lockout.key) : undefined;
  // A lockout kept from before waits were clamped (years away) is not obeyed: no limit lasts that long.
  if (until !== undefined && until > Date.now() && until - Date.now() <= MAX_WAIT_MS)
    throw rateLimited(place, o.words.name, until - Date.now());
  const target = new URL(call.url, `${c.base}/`);
  const refused = refusal(o, c.origin, target, place);
  if (refused) throw refused;
  const answer = await httpRequest({
    url: target.href,
    method: call.method ?? 'GET',
    headers: { ...o.headers, ...call.headers },
    body: call.body,
    deadline: call.deadline,
    place,
  });
  const own = o.inspect?.(answer, call);
  if (!own && ((answer.status >= 200 && answer.status < 300) || answer.status === 304)) return answer;
  const error = own ?? statusError(answer, place, o.words);
  // Only a wait the service told is remembered: a bare 429 is waited out here, not held against other processes.
  if (error.kind === 'rate_limited' && (own || rateLimitWaitMs(answer.headers) !== undefined))
    c.lockOut(error.retryAfterMs ?? 0);
  throw error;
}

/** Every page from `first` on: the items of each, until one names no next page, one already read, or the cap. */
async function list(
  c: Ctx,
  first: string,
  what: string,
  cap: ListCap,
  read: (url: string) => Promise<Page>,
): Promise<ListAnswer> {
  const items: unknown[] = [];
  const walk = new PageWalk(cap, first);
  let next: string | undefined = first;
  while (next !== undefined) {
    const at: string = next;
    const page = await read(at);
    const got = answerJson({ status: 200, headers: page.headers, text: page.text, url: at }, c.place, what);
    if (!Array.isArray(got)) {
      throw new TaskSourceError('protocol', `${c.o.words.name} answered ${what} with no list (at ${c.place})`, {
        short: `unexpected ${what} answer`,
        place: c.place,
      });
    }
    items.push(...walk.take(got as unknown[]));
    const after = nextPage(at, page.headers, c.place);
    next = walk.follow(after) ? after : undefined;
  }
  return { items, end: walk.end };
}

export function restClient(o: RestClientOptions): RestClient {
  const base = o.base.replace(/\/+$/, '');
  const place = o.place ?? base;
  const lockOut = (waitMs: number): void => {
    if (!o.lockout) return;
    kvSet(o.lockout.cache, o.lockout.key, Date.now() + waitMs, Math.ceil(waitMs / 1000));
    o.lockout.log.warn({ place, until: Date.now() + waitMs }, `${o.words.name} rate limit reached`);
  };
  const c: Ctx = { o, base, origin: new URL(base).origin, place, lockOut };
  const send = (call: RestCall): Promise<HttpAnswer> =>
    obeyingRateLimit(call.deadline, () =>
      withRetry(() => once(c, call), {
        policy: { ...RETRY, retries: o.retries ?? 0 },
        deadline: call.deadline,
        // A rate limit is waited out once, above: sent again here it would only be refused again.
        retryable: (err) => isTaskSourceError(err) && err.transient && err.kind !== 'rate_limited',
      }),
    );
  return {
    place,
    url: (path, query = {}) => {
      const u = new URL(`${base}${path}`);
      for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
      return u.href;
    },
    send,
    json: (text, what) => answerJson({ status: 200, headers: new Headers(), text, url: base }, place, what),
    list: (first, what, deadline, cap, read = (url) => send({ url, deadline })) => list(c, first, what, cap, read),
    lockOut,
  };
}
