// The numbers behind retries and breakers, as docs/sources.md's "What happens when the server is down" states them to users
// (three retries at 100/200/400 ms plus jitter, a breaker open for 30 s after 5 failures): change both together.
// Tests inject smaller ones.
export interface ResiliencePolicy {
  /** Retries after the first attempt, for transient failures only. */
  retries: number;
  /** Backoff before retry n (0-based) is baseDelayMs * 2^n plus up to jitterRatio of it. */
  baseDelayMs: number;
  jitterRatio: number;
  /** Consecutive failed calls that open a server's breaker. */
  breakerThreshold: number;
  /** How long an open breaker stays open before one trial call is let through. */
  breakerCooldownMs: number;
}

export const DEFAULT_POLICY: ResiliencePolicy = {
  retries: 3,
  baseDelayMs: 100,
  jitterRatio: 0.2,
  breakerThreshold: 5,
  breakerCooldownMs: 30_000,
};

export function resolvePolicy(overrides: Partial<ResiliencePolicy> = {}): ResiliencePolicy {
  return { ...DEFAULT_POLICY, ...overrides };
}
