// A service's rate limit obeyed within the caller's time: a request refused for the rate is sent once more after
// the wait it was told (Retry-After, a reset time) when that wait ends before the deadline; otherwise the refusal
// stands, saying until when.
import { isTaskSourceError } from '../errors/task-source.js';
import { sleep, type Deadline } from '../util/deadline.js';

/** Time kept back from the deadline for the request sent after the wait. */
const MARGIN_MS = 250;

export async function obeyingRateLimit<T>(deadline: Deadline, send: () => Promise<T>): Promise<T> {
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
