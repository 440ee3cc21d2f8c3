// Linear's GraphQL API over Node's fetch: a handful of queries, so no SDK (it would add its whole generated client
// to the network bundle, and hide the headers and the deadline this needs to control). Every answer is parsed with
// the caller's zod schema; Linear's rate limit (the X-RateLimit-Requests-* headers, the RATELIMITED error) is obeyed:
// within the deadline it waits, past it it says until when.
import type { z } from 'zod';
import { TaskSourceError } from '../../errors/task-source.js';
import { sleep, type Deadline } from '../../util/deadline.js';
import { answerJson, httpRequest, type HttpAnswer } from '../http-request.js';
import { obeyingRateLimit } from '../retry.js';
import { rateLimited, statusError } from '../http-status.js';
import { parseAnswer } from '../parse.js';
import { GraphqlAnswer } from './schema.js';

/** A personal API key is sent as it is; an OAuth access token as a bearer token. */
export type LinearCredential = { kind: 'apiKey' | 'oauth'; value: string };

export const LINEAR_WORDS = {
  name: 'Linear',
  authFix:
    'set LINEAR_API_KEY (Linear → Settings → API → Personal API keys) or source.linear.apiKey in ~/.taskhooks/config.json',
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

export function linearApi(opts: { url: string; credential: LinearCredential }): LinearApi {
  const { url, credential } = opts;
  const rate: RateLimitState = {};

  /** A limit the last answer said is spent is waited out when it ends within the deadline, else refused here. */
  async function spent(deadline: Deadline): Promise<void> {
    const wait = waitFor(rate);
    if (wait <= 0) return;
    if (wait >= deadline.left()) throw rateLimited(url, 'Linear', wait);
    await sleep(wait, deadline.signal);
    rate.remaining = undefined;
  }

  async function once(
    what: string,
    body: unknown,
    deadline: Deadline,
  ): Promise<{ answer: HttpAnswer; json: GraphqlAnswer }> {
    const answer = await httpRequest({
      url,
      method: 'POST',
      headers: { Authorization: header(credential) },
      body,
      deadline,
      place: url,
    });
    readRate(answer.headers, rate);
    // A 429 without Retry-After still carries Linear's own reset time.
    if (answer.status === 429 && !answer.headers.has('retry-after') && waitFor({ ...rate, remaining: 0 }) > 0) {
      throw rateLimited(url, 'Linear', waitFor({ ...rate, remaining: 0 }));
    }
    let json: unknown;
    try {
      json = answerJson(answer, url, what);
    } catch (err) {
      if (answer.status < 200 || answer.status >= 300) throw statusError(answer, url, LINEAR_WORDS);
      throw err;
    }
    const parsed = GraphqlAnswer.safeParse(json);
    if (!parsed.success || (!parsed.data.errors?.length && (answer.status < 200 || answer.status >= 300))) {
      throw statusError(answer, url, LINEAR_WORDS);
    }
    if (parsed.data.errors?.length) throw graphqlError(url, what, answer, parsed.data.errors, rate);
    return { answer, json: parsed.data };
  }

  return {
    url,
    rate,
    async request(what, query, variables, schema, deadline) {
      await spent(deadline);
      const { json } = await obeyingRateLimit(deadline, () => once(what, { query, variables }, deadline));
      return parseAnswer(schema, json.data, what, url);
    },
  };
}
