// Whether the configured source is known to be down, without any network. The client side owns breakers
// (src/resilience); this reads their shared records the same way until its isSourceBreakerOpen lands.
import type { Config } from '../config/schema.js';
import { planSource } from '../config/source.js';
import { readBreaker } from '../cache/breakers.js';
import type { Store } from '../cache/store.js';

export function sourceBreaker(store: Store, config: Config): { open: boolean; lastError?: string } {
  const plan = planSource(config);
  if (plan.kind !== 'remote') return { open: false };
  const records = plan.servers.map((s) => readBreaker(store, s));
  const open = records.every((r) => r.state === 'open');
  const lastError = records.find((r) => r.lastError)?.lastError;
  return lastError ? { open, lastError } : { open };
}
