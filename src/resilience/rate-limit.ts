import { TaskSourceError } from '../errors/task-source.js';
import type { Deadline } from '../util/deadline.js';
import { tokenBuckets, type TokenBuckets } from '../util/token-bucket.js';

export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** One set of per-server buckets per limit in use in this process (configs of different projects may differ). */
const limiters = new Map<string, TokenBuckets>();

/** Takes a token, waiting for one when the bucket is empty; fails instead of waiting past the deadline. */
export async function acquireToken(
  server: string,
  limit: RateLimit,
  deadline: Deadline,
  now: () => number = Date.now,
): Promise<void> {
  const key = `${limit.perSecond}/${limit.burst}`;
  let buckets = limiters.get(key);
  if (!buckets) limiters.set(key, (buckets = tokenBuckets(limit.burst, limit.perSecond, now)));
  for (;;) {
    const waitMs = buckets.take(server);
    if (waitMs === 0) return;
    if (now() + waitMs >= deadline.at) {
      throw new TaskSourceError(
        'unavailable',
        `Task source call not made: client rate limit of ${limit.perSecond}/s reached for ${server}`,
        {
          short: 'client rate limit reached',
          place: server,
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}
