// GitLab's REST API v4 as taskhooks uses it: a handful of endpoints through the REST client every tracker shares.
// Lists are read by offset pages (`X-Next-Page`, else `Link: rel="next"`, 100 a page). GitLab answers no conditional
// request (it ignores `If-None-Match`): refresh.ts keeps a list between reads instead. A rate limit hit is remembered
// in the cache and nothing is asked until it resets, across processes.
import { createHash } from 'node:crypto';
import type { Cache } from '../../cache/cache.js';
import type { Logger } from '../../log/logger.js';
import { registerSecret } from '../../log/redact.js';
import type { Deadline } from '../../util/deadline.js';
import type { RateLeft } from '../github/client.js';
import { DEFAULT_LIST_CAP, type ListCap } from '../list-cap.js';
import { restClient, type ListAnswer } from '../rest/client.js';
import type { HttpAnswer } from '../rest/http.js';
import { statusError, type ServiceWords } from '../rest/status.js';
import { noTokenFix, type GitLabToken } from './token.js';

export interface GitLabClientOptions {
  /** The REST API's base URL (`https://HOST/api/v4`): the only origin the token goes to. */
  api: string;
  /** The web host, for messages and fixes. */
  host: string;
  token: GitLabToken;
  /** The person set the API URL in their own config or environment: only then may it be plain http. */
  setByPerson: boolean;
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

/**
 * GitLab's `RateLimit-*` headers (its reset a Unix time) noted; a 429 that names no `Retry-After` waits until
 * `RateLimit-Reset`, when the limit lifts.
 */
function noteRate(told: { rate?: RateLeft }, answer: HttpAnswer, place: string, words: ServiceWords) {
  const { headers } = answer;
  const remaining = Number(headers.get('ratelimit-remaining'));
  const reset = Number(headers.get('ratelimit-reset'));
  if (headers.has('ratelimit-remaining') && Number.isFinite(remaining))
    told.rate = { remaining, limit: Number(headers.get('ratelimit-limit')), resetAt: reset * 1000 };
  if (answer.status !== 429 || headers.has('retry-after') || !(reset > 0)) return undefined;
  const limited = new Headers(headers);
  limited.set('retry-after', String(Math.max(0, Math.ceil(reset - Date.now() / 1000))));
  return statusError({ ...answer, headers: limited }, place, words);
}

export function gitlabClient(opts: GitLabClientOptions): GitLabClient {
  const base = opts.api.replace(/\/+$/, '');
  registerSecret(opts.token.token);
  const identity = createHash('sha256').update(`${base}\n${opts.token.token}`).digest('hex').slice(0, 24);
  const told: { rate?: RateLeft } = {};
  const { token } = opts;
  const words: ServiceWords = {
    name: 'GitLab',
    authFix: `${noTokenFix(opts.host)}; the token must not be expired or revoked`,
    notFoundFix:
      'check the project path (the origin remote, or source.gitlab.project) and that the token can see the project',
  };
  const rest = restClient({
    base,
    words,
    headers: {
      ...(token.kind === 'oauth' ? { authorization: `Bearer ${token.token}` } : { 'private-token': token.token }),
      'user-agent': 'taskhooks',
    },
    setByPerson: opts.setByPerson,
    retries: 2,
    lockout: { cache: opts.cache, log: opts.log, key: `gitlab:rate-limited:${identity}` },
    inspect: (answer) => noteRate(told, answer, base, words),
  });
  return {
    api: base,
    identity,
    rateLeft: () => told.rate,
    async get(path, query, deadline) {
      return rest.json((await rest.send({ url: rest.url(path, query), deadline })).text, `GET ${path}`);
    },
    list: (path, query, deadline, cap = DEFAULT_LIST_CAP) =>
      rest.list(rest.url(path, { ...query, per_page: String(PER_PAGE) }), `GET ${path}`, deadline, cap),
    async send(method, path, body, deadline) {
      const answer = await rest.send({ url: rest.url(path), method, body, deadline });
      return answer.text === '' ? undefined : rest.json(answer.text, `${method} ${path}`);
    },
  };
}
