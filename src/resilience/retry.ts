import { isTaskSourceError } from '../errors/task-source.js';
import { sleep, type Deadline } from '../util/deadline.js';
import type { ResiliencePolicy } from './policy.js';

export interface RetryOptions {
  policy: Pick<ResiliencePolicy, 'retries' | 'baseDelayMs' | 'jitterRatio'>;
  /** No new attempt starts after it, and no wait is begun that would end past it. */
  deadline: Deadline;
  onRetry?: (err: unknown, retry: number, delayMs: number) => void;
  random?: () => number;
  /** Which failures are worth another try; transient ones by default. */
  retryable?: (err: unknown) => boolean;
  /** The longest wait between tries, for a caller that keeps trying until its deadline. */
  maxDelayMs?: number;
}

function backoffMs(retry: number, opts: RetryOptions): number {
  const { policy, random = Math.random } = opts;
  const base = Math.min(policy.baseDelayMs * 2 ** retry, opts.maxDelayMs ?? Number.POSITIVE_INFINITY);
  return Math.round(base + base * policy.jitterRatio * random());
}

/** Only refused, reset, timeout, 429 and 5xx are worth another try; every other failure is final. */
function isTransient(err: unknown): boolean {
  return isTaskSourceError(err) && err.transient;
}

/**
 * Runs `attempt` and retries transient failures with exponential backoff plus jitter, waiting at least the
 * server's Retry-After; gives up with the last error when a retry could not finish before the deadline.
 */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const { deadline } = opts;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      const retryable = opts.retryable ?? isTransient;
      if (!retryable(err) || n >= opts.policy.retries || deadline.signal.aborted) throw err;
      const retryAfter = isTaskSourceError(err) ? (err.retryAfterMs ?? 0) : 0;
      const delay = Math.max(backoffMs(n, opts), retryAfter);
      if (Date.now() + delay >= deadline.at) throw err;
      opts.onRetry?.(err, n + 1, delay);
      await sleep(delay, deadline.signal).catch(() => {
        throw err;
      });
    }
  }
}
