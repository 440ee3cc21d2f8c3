// GitHub's REST API as taskhooks uses it: a handful of endpoints, so plain fetch rather than octokit (no runtime
// dependency in the network bundle, and the ETag handling is ours to control), through the REST client every tracker
// shares. Every GET is conditional: the last answer is kept in the cache with its ETag, a 304 brings it back and
// costs no rate limit. Lists follow `Link` pages, and keep their ETags only once read to their end.
import { createHash } from 'node:crypto';
import type { Cache } from '../../cache/cache.js';
import { readEtag, touchEtag, writeEtag } from '../../cache/etags.js';
import type { Logger } from '../../log/logger.js';
import { registerSecret } from '../../log/redact.js';
import type { Deadline } from '../../util/deadline.js';
import { DEFAULT_LIST_CAP, type ListCap } from '../list-cap.js';
import { restClient, type ListAnswer, type Page, type RestClient } from '../rest/client.js';
import type { HttpAnswer } from '../rest/http.js';
import { noTokenFix } from './token.js';

export interface GitHubClientOptions {
  /** The REST API's base URL (`https://api.github.com`, `https://HOST/api/v3`): the only origin the token goes to. */
  api: string;
  /** The web host, for messages and fixes. */
  host: string;
  token: string;
  /** The person set the API URL in their own config or environment: only then may it be plain http. */
  setByPerson: boolean;
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

export interface GitHubClient {
  readonly api: string;
  get(path: string, query: Record<string, string>, deadline: Deadline): Promise<unknown>;
  /** Every page up to the cap: the items, and why the list ended (`complete` when read to its last page). */
  list(path: string, query: Record<string, string>, deadline: Deadline, cap?: ListCap): Promise<ListAnswer>;
  send(method: 'POST' | 'PATCH' | 'DELETE', path: string, body: unknown, deadline: Deadline): Promise<unknown>;
  /** The rate limit as the last answer told it. */
  rateLeft(): RateLeft | undefined;
}

/** What the client's requests share: the REST client, the token's identity, and the rate last told. */
interface Client {
  rest: RestClient;
  cache: Cache;
  log: Logger;
  identity: string;
  told: Told;
}

/** What the last answer told of the rate limit. */
interface Told {
  rate?: RateLeft;
}

function noteRate(c: Told, answer: HttpAnswer): undefined {
  const remaining = Number(answer.headers.get('x-ratelimit-remaining'));
  const limit = Number(answer.headers.get('x-ratelimit-limit'));
  const reset = Number(answer.headers.get('x-ratelimit-reset'));
  if (answer.headers.has('x-ratelimit-remaining') && Number.isFinite(remaining)) {
    c.rate = { remaining, limit, resetAt: reset * 1000 };
  }
  return undefined;
}

/** One conditional GET: the kept answer on 304, else the new one, which `keep` stores with its ETag. */
async function conditional(c: Client, url: string, deadline: Deadline): Promise<Page & { keep: () => void }> {
  const kept = readEtag(c.cache, url, c.identity);
  const headers: Record<string, string> = kept ? { 'if-none-match': kept.etag } : {};
  const answer = await c.rest.send({ url, headers, deadline });
  if (answer.status === 304 && kept) {
    if (Date.now() - kept.usedAt > TOUCH_EVERY_MS) touchEtag(c.cache, url, c.identity);
    const page = new Headers(kept.link ? { link: kept.link } : {});
    return { text: kept.body, headers: page, keep: () => undefined };
  }
  const link = answer.headers.get('link');
  const etag = answer.headers.get('etag');
  const keep = (): void => {
    if (etag) writeEtag(c.cache, url, c.identity, { etag, body: answer.text, link });
  };
  return { text: answer.text, headers: answer.headers, keep };
}

/**
 * Every page from the first, following `Link: next` until none, one already read, or the cap. The pages' ETags are
 * kept only when the list was read to its end: the answers of a list without end would fill the cache, and a kept
 * first page of it would bring back a list that was never whole.
 */
async function list(c: Client, path: string, query: Record<string, string>, deadline: Deadline, cap: ListCap) {
  const keeps: Array<() => void> = [];
  const first = c.rest.url(path, { ...query, per_page: String(PER_PAGE) });
  const read = async (url: string): Promise<Page> => {
    const page = await conditional(c, url, deadline);
    keeps.push(page.keep);
    return page;
  };
  const answer = await c.rest.list(first, `GET ${path}`, deadline, cap, read);
  if (answer.end === 'complete') for (const keep of keeps) keep();
  else c.log.warn({ place: c.rest.place, path, end: answer.end, cap }, 'GitHub list cut short: its ETags are not kept');
  return answer;
}

export function githubClient(opts: GitHubClientOptions): GitHubClient {
  const base = opts.api.replace(/\/+$/, '');
  registerSecret(opts.token);
  // Answers kept for one token are never shown to another: the key names the token by a hash, never the token.
  const identity = createHash('sha256').update(`${base}\n${opts.token}`).digest('hex').slice(0, 24);
  const told: Told = {};
  const rest = restClient({
    base,
    words: {
      name: 'GitHub',
      authFix: `${noTokenFix(opts.host)}; a fine-grained token needs Issues: read and write on the repository`,
      notFoundFix:
        'check the owner/repo (the origin remote, or source.github.repo) and that the token can see the repository',
    },
    headers: {
      authorization: `Bearer ${opts.token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': 'taskhooks',
    },
    setByPerson: opts.setByPerson,
    retries: 2,
    lockout: { cache: opts.cache, log: opts.log, key: `github:rate-limited:${identity}` },
    inspect: (answer) => noteRate(told, answer),
  });
  const c: Client = { rest, cache: opts.cache, log: opts.log, identity, told };
  const json = (text: string, what: string): unknown => c.rest.json(text, what);
  return {
    api: base,
    rateLeft: () => told.rate,
    async get(path, query, deadline) {
      return json((await conditional(c, c.rest.url(path, query), deadline)).text, `GET ${path}`);
    },
    list: (path, query, deadline, cap = DEFAULT_LIST_CAP) => list(c, path, query, deadline, cap),
    async send(method, path, body, deadline) {
      const answer = await c.rest.send({ url: c.rest.url(path), method, body, deadline });
      return answer.text === '' ? undefined : json(answer.text, `${method} ${path}`);
    },
  };
}
