// What an HTTP error status from a task service's REST API means for the user, as one TaskSourceError: the rate
// limits (`Retry-After`, `x-ratelimit-*`) with the time to wait, credentials refused, not found, the server's fault.
import { TaskSourceError } from '../../errors/task-source.js';
import { clampWait, parseRetryAfter } from '../../util/retry-after.js';
import type { HttpAnswer } from './http.js';

export interface ServiceWords {
  /** "GitHub", "Linear": what messages call the service. */
  name: string;
  /** How to give it working credentials. */
  authFix: string;
  /** What to check when a thing asked for is not there. */
  notFoundFix: string;
}

/**
 * When a rate limit lets requests through again, in milliseconds from `now`: `Retry-After` (secondary limits),
 * else `x-ratelimit-reset` once `x-ratelimit-remaining` is 0. undefined when the answer says no limit was hit.
 */
export function rateLimitWaitMs(headers: Headers, now = Date.now()): number | undefined {
  const retryAfter = parseRetryAfter(headers.get('retry-after'), now);
  if (retryAfter !== undefined) return retryAfter;
  if (headers.get('x-ratelimit-remaining') !== '0') return undefined;
  const reset = Number(headers.get('x-ratelimit-reset'));
  return reset > 0 ? clampWait(reset * 1000 - now) : undefined;
}

/** The command that lifts every rate-limit lockout the cache remembers, for a user who cannot wait. */
const RETRY_NOW = 'taskhooks cache clear --limits';

/** When a wait ends, in UTC: the time of day, with the date when that is not today. */
function untilWords(waitMs: number, now: number): { until: string; left: string } {
  const at = new Date(now + waitMs).toISOString();
  const sameDay = at.slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  const minutes = Math.ceil(waitMs / 60_000);
  const left = minutes < 120 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return { until: `${sameDay ? '' : `${at.slice(0, 10)} `}${at.slice(11, 19)} UTC`, left };
}

/** A rate limit as an error that says until when, and how to ask again before then. */
export function rateLimited(place: string, service: string, waitMs: number, now = Date.now()): TaskSourceError {
  const wait = clampWait(waitMs) ?? 0;
  const { until, left } = untilWords(wait, now);
  return new TaskSourceError(
    'rate_limited',
    `${service} rate limit reached at ${place}: no requests until ${until} (in ${left})`,
    {
      short: `rate limited until ${until}`,
      place,
      transient: true,
      retryAfterMs: wait,
      fix: `wait until then, or run \`${RETRY_NOW}\` to ask again now (${service} may refuse again until its limit resets)`,
    },
  );
}

/** The server's own message in a JSON error body (`{"message": …}`, Jira's `{"errorMessages": […]}`), cut to one short line. */
function serverMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; errorMessages?: unknown; errors?: unknown };
    // Jira names a refused field in `errors` ({"duedate": "…"}), its `errorMessages` then empty.
    const field =
      body.errors && typeof body.errors === 'object' && !Array.isArray(body.errors)
        ? Object.entries(body.errors).find(([, v]) => typeof v === 'string')
        : undefined;
    const message =
      Array.isArray(body.errorMessages) && body.errorMessages.length ? body.errorMessages[0] : body.message;
    const said = typeof message === 'string' ? message : field ? `${field[0]}: ${String(field[1])}` : undefined;
    if (said !== undefined) return said.split('\n')[0]?.slice(0, 160) ?? '';
  } catch {
    // not JSON: the status alone says it
  }
  return '';
}

/** The error an answer with a status outside 2xx/304 stands for. */
export function statusError(answer: HttpAnswer, place: string, words: ServiceWords, now = Date.now()): TaskSourceError {
  const { status } = answer;
  const said = serverMessage(answer.text);
  const detail = said ? `: ${said}` : '';
  if (status === 403 || status === 429) {
    const wait = rateLimitWaitMs(answer.headers, now);
    if (wait !== undefined || status === 429) return rateLimited(place, words.name, wait ?? 60_000, now);
  }
  if (status === 401 || status === 403) {
    return new TaskSourceError('auth', `${words.name} refused the credentials (HTTP ${status}${detail}) at ${place}`, {
      short: status === 401 ? 'bad credentials' : 'forbidden',
      place,
      status,
      fix: words.authFix,
    });
  }
  if (status === 404 || status === 410) {
    return new TaskSourceError('not_found', `${words.name} found nothing there (HTTP ${status}${detail}) at ${place}`, {
      short: 'not found',
      place,
      status,
      fix: words.notFoundFix,
    });
  }
  if (status >= 500) {
    return new TaskSourceError('server', `${words.name} failed (HTTP ${status}${detail}) at ${place}`, {
      short: `HTTP ${status}`,
      place,
      status,
      transient: true,
      retryAfterMs: parseRetryAfter(answer.headers.get('retry-after'), now),
    });
  }
  return new TaskSourceError('protocol', `${words.name} refused the request (HTTP ${status}${detail}) at ${place}`, {
    short: `HTTP ${status}${detail}`.slice(0, 80),
    place,
    status,
  });
}
