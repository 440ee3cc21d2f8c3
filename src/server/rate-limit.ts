/**
 * Per-principal token buckets: `perMinute` calls may burst, refilled evenly over the minute.
 * `take` answers how many seconds to wait when the bucket is empty.
 */
export function createRateLimiter(perMinute: number, now: () => number = Date.now): { take(key: string, n?: number): { ok: true } | { ok: false; retryAfterS: number } } {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = perMinute / 60_000;
  return {
    take(key, n = 1) {
      const t = now();
      const b = buckets.get(key) ?? { tokens: perMinute, at: t };
      b.tokens = Math.min(perMinute, b.tokens + (t - b.at) * perMs);
      b.at = t;
      buckets.set(key, b);
      if (b.tokens >= n) {
        b.tokens -= n;
        return { ok: true };
      }
      return { ok: false, retryAfterS: Math.max(1, Math.ceil((n - b.tokens) / perMs / 1000)) };
    },
  };
}
