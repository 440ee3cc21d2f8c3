// One JSON request to a task service's REST API over Node's fetch, tied to the caller's Deadline: the answer as it
// came (status, headers, text), or a TaskSourceError for what never got an answer. Redirects are followed only
// within the origin asked, so credentials never travel to a host the caller did not name.
import { deadlineEnded, isTaskSourceError, TaskSourceError, unavailable } from '../../errors/task-source.js';
import type { Deadline } from '../../util/deadline.js';

export interface HttpRequest {
  url: string;
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  deadline: Deadline;
  /** What messages name: the service's base URL, never a URL that may hold a secret. */
  place: string;
  /** An answer longer than this is refused (a runaway list must not fill a hook's memory). */
  maxBytes?: number;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The URL that answered, after same-origin redirects. */
  url: string;
}

const MAX_REDIRECTS = 3;
const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

/** An answer over the cap, in the words the context line shows: its own reason, never a timeout. */
function tooLarge(place: string, limit: number): TaskSourceError {
  const mib = Math.round(limit / 1048576);
  return new TaskSourceError('protocol', `${place} answered more than ${mib} MiB: not read`, {
    short: `answer over ${mib} MiB`,
    place,
  });
}

/** The text of `response`, refused past `limit` bytes (read no further), `place` naming it in the failure. */
export async function readCapped(response: Response, limit: number, place: string): Promise<string> {
  if (!response.body) return '';
  // A length told up front is refused before a byte is read: reading 16 MiB can outlast a hook's deadline.
  if (Number(response.headers.get('content-length')) > limit) {
    await response.body.cancel().catch(() => undefined);
    throw tooLarge(place, limit);
  }
  const chunks: Uint8Array[] = [];
  let seen = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += value.byteLength;
    if (seen > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(place, limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Sends `req` and returns whatever status came back; throws only when no answer did (refused, reset, deadline). */
export async function httpRequest(req: HttpRequest): Promise<HttpAnswer> {
  const origin = new URL(req.url).origin;
  let url = req.url;
  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      response = await fetch(url, {
        method: req.method ?? 'GET',
        headers: {
          accept: 'application/json',
          ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...req.headers,
        },
        ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
        redirect: 'manual',
        signal: req.deadline.signal,
      });
    } catch (err) {
      if (req.deadline.signal.aborted) throw deadlineEnded(req.place, req.deadline, err);
      const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
      const code = (cause as { code?: unknown }).code;
      throw unavailable(req.place, typeof code === 'string' ? code : 'connection failed', { cause: err });
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location && hop < MAX_REDIRECTS) {
      const next = new URL(location, url);
      await response.body?.cancel().catch(() => undefined);
      if (next.origin !== origin) {
        throw new TaskSourceError('protocol', `${req.place} redirected to another host (${next.host}): not followed`, {
          short: `redirected to ${next.host}`,
          place: req.place,
          fix: 'point the API URL at the host that answers itself',
        });
      }
      url = next.href;
      continue;
    }
    try {
      const text = await readCapped(response, req.maxBytes ?? DEFAULT_MAX_BYTES, req.place);
      return { status: response.status, headers: response.headers, text, url };
    } catch (err) {
      if (!isTaskSourceError(err) && req.deadline.signal.aborted) throw deadlineEnded(req.place, req.deadline, err);
      throw err;
    }
  }
}

/** The answer's JSON, or a protocol error naming what was asked. */
export function answerJson(answer: HttpAnswer, place: string, what: string): unknown {
  try {
    return JSON.parse(answer.text) as unknown;
  } catch {
    throw new TaskSourceError('protocol', `${place} answered ${what} with something that is not JSON`, {
      short: `unexpected ${what} answer`,
      place,
      status: answer.status,
    });
  }
}
