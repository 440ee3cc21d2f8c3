import { isTaskSourceError } from '../errors/task-source.js';
import { sleep, type Deadline } from '../util/deadline.js';
import type { ResiliencePolicy } from './policy.js';

export interface RetryOptions {
  policy: Pick<ResiliencePolicy, 'retries' | 'baseDelayMs' | 'jitterRatio'>;
  /** No new attempt starts after it, and no wait is begun that would end past it. */
  deadline: Deadline;
  onRetry?: (err: unknown, retry: number, delayMs: number) => void;
  random?: () => number;
}

function backoffMs(retry: number, policy: RetryOptions['policy'], random: () => number = Math.random): number {
  const base = policy.baseDelayMs * 2 ** retry;
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
      if (!isTransient(err) || n >= opts.policy.retries || deadline.signal.aborted) throw err;
      const retryAfter = isTaskSourceError(err) ? (err.retryAfterMs ?? 0) : 0;
      const delay = Math.max(backoffMs(n, opts.policy, opts.random), retryAfter);
      if (Date.now() + delay >= deadline.at) throw err;
      opts.onRetry?.(err, n + 1, delay);
      await sleep(delay, deadline.signal).catch(() => {
        throw err;
      });
    }
  }
}
