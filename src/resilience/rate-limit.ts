import { TaskSourceError } from '../sources/errors.js';

/** A token bucket per server and process: bursts up to `burst`, then `perSecond` calls a second. */
interface Bucket {
  tokens: number;
  updatedAt: number;
}

const buckets = new Map<string, Bucket>();

export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** Takes a token, waiting for one when the bucket is empty; fails instead of waiting past the deadline. */
export async function acquireToken(server: string, limit: RateLimit, deadlineAt: number, now: () => number = Date.now): Promise<void> {
  const t = now();
  const bucket = buckets.get(server) ?? { tokens: limit.burst, updatedAt: t };
  bucket.tokens = Math.min(limit.burst, bucket.tokens + ((t - bucket.updatedAt) / 1000) * limit.perSecond);
  bucket.updatedAt = t;
  buckets.set(server, bucket);
  bucket.tokens -= 1;
  if (bucket.tokens >= 0) return;
  const waitMs = Math.ceil((-bucket.tokens / limit.perSecond) * 1000);
  if (t + waitMs >= deadlineAt) {
    bucket.tokens += 1;
    throw new TaskSourceError('unavailable', `Task source call not made: client rate limit of ${limit.perSecond}/s reached for ${server}`, {
      short: 'client rate limit reached',
      server,
    });
  }
  await new Promise((resolve) => setTimeout(resolve, waitMs));
}

