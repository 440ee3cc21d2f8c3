import type { Store } from '../cache/store.js';
import type { Config } from '../config/schema.js';
import { planSource, sourceKey } from '../config/source.js';
import { isOpen } from './breaker.js';
import { DEFAULT_POLICY } from './policy.js';

/**
 * Whether every server of the configured source has an open breaker: a hook asks this (one SQLite read per
 * server, no network) before deciding to fetch live. The embedded store is in-process and never "open".
 */
export function isSourceBreakerOpen(store: Store, config: Config, now = Date.now()): { open: boolean; lastError?: string } {
  const plan = planSource(config);
  const servers = plan.kind === 'remote' ? plan.servers : plan.kind === 'stdio' ? [sourceKey(plan)] : [];
  if (servers.length === 0) return { open: false };
  let lastError: string | undefined;
  for (const server of servers) {
    const state = isOpen(store, server, DEFAULT_POLICY, now);
    if (!state.open) return { open: false };
    lastError ??= state.lastError;
  }
  return lastError ? { open: true, lastError } : { open: true };
}
