// A circuit breaker per server, kept in the shared store so a server one process found dead is skipped by all
// of them (hooks, CLI, monitor) until the cooldown passes and one trial call is allowed through.
import { readBreaker, writeBreaker, type BreakerRecord } from '../cache/breakers.js';
import type { Cache } from '../cache/cache.js';
import { breakerOpen, type TaskSourceError } from '../errors/task-source.js';
import type { Logger } from '../log/logger.js';
import type { Deadline } from '../util/deadline.js';
import type { ResiliencePolicy } from './policy.js';

export type Admission = { allowed: true; trial: boolean } | { allowed: false; lastError: string | undefined };

type BreakerPolicy = Pick<ResiliencePolicy, 'breakerThreshold' | 'breakerCooldownMs'>;

function coolingDown(rec: BreakerRecord, policy: BreakerPolicy, now: number): boolean {
  return rec.state !== 'closed' && now - (rec.openedAt ?? 0) < policy.breakerCooldownMs;
}

/** Whether a call to `server` may go ahead; claims the single half-open trial when the cooldown is over. */
export function admit(cache: Cache, server: string, policy: BreakerPolicy, now = Date.now()): Admission {
  return cache.write(() => {
    const rec = readBreaker(cache, server);
    if (rec.state === 'closed') return { allowed: true, trial: false } as const;
    if (coolingDown(rec, policy, now)) return { allowed: false, lastError: rec.lastError } as const;
    // Claimed in the same transaction: other processes see half_open with a fresh openedAt and keep waiting.
    writeBreaker(cache, { ...rec, state: 'half_open', openedAt: now });
    return { allowed: true, trial: true } as const;
  });
}

function recordSuccess(cache: Cache, server: string): void {
  cache.write(() => {
    const rec = readBreaker(cache, server);
    if (rec.state !== 'closed' || rec.failures !== 0) writeBreaker(cache, { ...rec, state: 'closed', failures: 0 });
  });
}

/** Counts a failure; returns the new state so callers can log the moment a breaker opens. */
function recordFailure(cache: Cache, server: string, error: string, policy: BreakerPolicy): BreakerRecord {
  const now = Date.now();
  return cache.write(() => {
    const rec = readBreaker(cache, server);
    const failures = rec.failures + 1;
    const open = rec.state === 'half_open' || failures >= policy.breakerThreshold;
    const next: BreakerRecord = {
      ...rec,
      failures,
      state: open ? 'open' : rec.state,
      lastError: error,
      lastErrorAt: now,
    };
    if (open && rec.state !== 'open') next.openedAt = now;
    writeBreaker(cache, next);
    return next;
  });
}

/** Open and still cooling down: a cheap read, no write. */
export function isOpen(
  cache: Cache,
  server: string,
  policy: BreakerPolicy,
  now = Date.now(),
): { open: boolean; lastError?: string } {
  const rec = readBreaker(cache, server);
  const open = coolingDown(rec, policy, now);
  return open && rec.lastError ? { open, lastError: rec.lastError } : { open };
}

/**
 * Runs `call` behind `server`'s breaker, for every caller alike (MCP servers, programs): refused with a breaker_open
 * error while it cools down; a transient failure counts against it (a failed half-open trial opens it again), any
 * other answer, a refusal included, shows the server up and closes it. A call the caller cancelled says nothing
 * about the server and is not recorded: a half-open trial stays claimed until its cooldown passes.
 */
export async function behindBreaker<T>(
  ctx: { cache: Cache; log: Logger; policy: BreakerPolicy },
  server: string,
  deadline: Deadline,
  call: () => Promise<T>,
  classify: (err: unknown) => TaskSourceError,
): Promise<T> {
  const { cache, log, policy } = ctx;
  const admission = admit(cache, server, policy);
  if (!admission.allowed) throw breakerOpen(server, admission.lastError);
  try {
    const value = await call();
    recordSuccess(cache, server);
    return value;
  } catch (err) {
    const e = classify(err);
    if (deadline.cancelled()) throw e;
    if (e.transient) {
      const rec = recordFailure(cache, server, e.message, policy);
      if (rec.state === 'open') log.warn({ server, failures: rec.failures, error: e.message }, 'circuit breaker open');
    } else {
      recordSuccess(cache, server);
    }
    throw e;
  }
}
