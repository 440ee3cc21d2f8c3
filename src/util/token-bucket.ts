/**
 * Token buckets by key: each holds up to `capacity` tokens and refills at `perSecond`. The client's per-server limiter
 * and the server's per-principal limiter are both this, with different answers to "wait" (sleep vs 429).
 */
export interface TokenBuckets {
  /** Takes `n` tokens from `key`'s bucket: 0 when granted, else the milliseconds until `n` tokens are there. */
  take(key: string, n?: number): number;
  /** How many buckets are held (full, idle ones are dropped once there are many). */
  size(): number;
}

/** Past this many keys, buckets that have refilled completely are forgotten: they hold no state worth keeping. */
const PRUNE_ABOVE = 1024;

export function tokenBuckets(capacity: number, perSecond: number, now: () => number = Date.now): TokenBuckets {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = perSecond / 1000;
  const refilled = (b: { tokens: number; at: number }, t: number): number =>
    Math.min(capacity, b.tokens + (t - b.at) * perMs);
  return {
    take(key, n = 1) {
      const t = now();
      if (buckets.size > PRUNE_ABOVE) for (const [k, b] of buckets) if (refilled(b, t) >= capacity) buckets.delete(k);
      const b = buckets.get(key) ?? { tokens: capacity, at: t };
      b.tokens = refilled(b, t);
      b.at = t;
      buckets.set(key, b);
      if (b.tokens >= n) {
        b.tokens -= n;
        return 0;
      }
      return Math.ceil((n - b.tokens) / perMs);
    },
    size: () => buckets.size,
  };
}
