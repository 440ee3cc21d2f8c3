// Linear's GraphQL API, POSTed through the REST client every tracker shares: a handful of queries, so no SDK (it
// would add its whole generated client to the network bundle, and hide the headers and the deadline this needs to
// control). Every answer is parsed with the caller's zod schema; Linear's rate limit (the X-RateLimit-Requests-*
// headers, the RATELIMITED error) is obeyed: within the deadline it waits, past it it says until when.
import type { z } from 'zod';
import { TaskSourceError } from '../../errors/task-source.js';
import { sleep, type Deadline } from '../../util/deadline.js';
import { parseAnswer } from '../parse.js';
import { restClient } from '../rest/client.js';
import type { HttpAnswer } from '../rest/http.js';
import { rateLimited, statusError } from '../rest/status.js';
import { GraphqlAnswer } from './schema.js';
import { shownHome } from '../../home/dir.js';

/** A personal API key is sent as it is; an OAuth access token as a bearer token. */
export type LinearCredential = { kind: 'apiKey' | 'oauth'; value: string };

export const LINEAR_WORDS = {
  name: 'Linear',
  authFix: `set LINEAR_API_KEY (Linear → Settings → API → Personal API keys) or source.linear.apiKey in ${shownHome(['config.json'])}`,
  notFoundFix: 'check the issue identifier (ENG-123) and that the key can see its team',
};

export interface RateLimitState {
  remaining?: number | undefined;
  /** Epoch milliseconds. */
  resetAt?: number | undefined;
}

export interface LinearApi {
  readonly url: string;
  /** What the last answer said of the rate limit. */
  readonly rate: RateLimitState;
  request<S extends z.ZodType>(
    what: string,
    query: string,
    variables: Record<string, unknown>,
    schema: S,
    deadline: Deadline,
  ): Promise<z.output<S>>;
}

/** Linear's reset header is epoch milliseconds; a value that reads as seconds is taken as seconds. */
function epochMs(value: string | null): number | undefined {
  const n = Number(value);
  if (!value || !Number.isFinite(n) || n <= 0) return undefined;
  return n < 1e12 ? n * 1000 : n;
}

function readRate(headers: Headers, rate: RateLimitState): void {
  const remaining = headers.get('x-ratelimit-requests-remaining');
  if (remaining !== null && Number.isFinite(Number(remaining))) rate.remaining = Number(remaining);
  const reset = epochMs(headers.get('x-ratelimit-requests-reset'));
  if (reset !== undefined) rate.resetAt = reset;
}

/** Milliseconds until the rate limit lets a request through, or 0. */
function waitFor(rate: RateLimitState, now = Date.now()): number {
  if (rate.remaining !== 0 || rate.resetAt === undefined) return 0;
  return Math.max(0, rate.resetAt - now);
}

/** A GraphQL error list as one TaskSourceError: Linear's codes say which kind. */
function graphqlError(
  url: string,
  what: string,
  answer: HttpAnswer,
  errors: GraphqlAnswer['errors'],
  rate: RateLimitState,
) {
  const first = errors?.[0];
  const code = first?.extensions?.code ?? '';
  const message = (first?.extensions?.userPresentableMessage ?? first?.message ?? 'error')
    .split('\n')[0]
    ?.slice(0, 160);
  if (code === 'RATELIMITED') return rateLimited(url, 'Linear', waitFor({ ...rate, remaining: 0 }) || 60_000);
  if (code === 'AUTHENTICATION_ERROR' || code === 'FORBIDDEN' || answer.status === 401) {
    return new TaskSourceError('auth', `Linear refused the credentials (${message}) at ${url}`, {
      short: 'bad credentials',
      place: url,
      status: answer.status,
      fix: LINEAR_WORDS.authFix,
    });
  }
  if (/not found|could not find/i.test(`${first?.message} ${message}`)) {
    return new TaskSourceError('not_found', `Linear found nothing for ${what} (${message}) at ${url}`, {
      short: 'not found',
      place: url,
      status: answer.status,
      fix: LINEAR_WORDS.notFoundFix,
    });
  }
  return new TaskSourceError('server', `Linear answered ${what} with an error: ${message} at ${url}`, {
    short: `${what}: ${message}`.slice(0, 80),
    place: url,
    status: answer.status,
    transient: answer.status >= 500,
  });
}

const header = (c: LinearCredential): string => (c.kind === 'oauth' ? `Bearer ${c.value}` : c.value);

/**
 * What an answer means in Linear's terms before its status is judged: the rate it tells noted, a 429 that names no
 * Retry-After waiting until Linear's own reset, a GraphQL error list (on any status) as the error it names.
 */
function inspect(url: string, answer: HttpAnswer, what: string, rate: RateLimitState): TaskSourceError | undefined {
  readRate(answer.headers, rate);
  if (answer.status === 429 && !answer.headers.has('retry-after') && waitFor({ ...rate, remaining: 0 }) > 0)
    return rateLimited(url, 'Linear', waitFor({ ...rate, remaining: 0 }));
  let json: unknown;
  try {
    json = JSON.parse(answer.text) as unknown;
  } catch {
    return undefined; // the status says it; a 2xx that is no JSON is the caller's to name
  }
  const parsed = GraphqlAnswer.safeParse(json);
  if (parsed.success && parsed.data.errors?.length) return graphqlError(url, what, answer, parsed.data.errors, rate);
  return undefined;
}

export function linearApi(opts: { url: string; credential: LinearCredential; setByPerson: boolean }): LinearApi {
  const { url, credential } = opts;
  const rate: RateLimitState = {};
  const rest = restClient({
    base: url,
    words: LINEAR_WORDS,
    headers: { Authorization: header(credential) },
    setByPerson: opts.setByPerson,
    inspect: (answer, call) => inspect(url, answer, call.what ?? 'the request', rate),
  });

  /** A limit the last answer said is spent is waited out when it ends within the deadline, else refused here. */
  async function spent(deadline: Deadline): Promise<void> {
    const wait = waitFor(rate);
    if (wait <= 0) return;
    if (wait >= deadline.left()) throw rateLimited(url, 'Linear', wait);
    await sleep(wait, deadline.signal);
    rate.remaining = undefined;
  }

  return {
    url,
    rate,
    async request(what, query, variables, schema, deadline) {
      await spent(deadline);
      const answer = await rest.send({ url, method: 'POST', body: { query, variables }, deadline, what });
      const parsed = GraphqlAnswer.safeParse(rest.json(answer.text, what));
      if (!parsed.success) throw statusError(answer, url, LINEAR_WORDS);
      return parseAnswer(schema, parsed.data.data, what, url);
    },
  };
}
