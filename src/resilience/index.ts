import type { Cache } from '../cache/cache.js';
import { isOpen } from './breaker.js';
import { DEFAULT_POLICY } from './policy.js';

/**
 * Whether every one of a source's servers has an open breaker: a hook asks this (one SQLite read per server, no
 * network) before deciding to fetch live. No servers (the in-process embedded store) is never "open".
 */
export function isSourceBreakerOpen(
  cache: Cache,
  servers: readonly string[],
  now = Date.now(),
): { open: boolean; lastError?: string } {
  if (servers.length === 0) return { open: false };
  let lastError: string | undefined;
  for (const server of servers) {
    const state = isOpen(cache, server, DEFAULT_POLICY, now);
    if (!state.open) return { open: false };
    lastError ??= state.lastError;
  }
  return lastError ? { open: true, lastError } : { open: true };
}
