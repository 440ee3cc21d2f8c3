// What a task source is, once configuration has been resolved: which adapter speaks to which server, under which
// cache key, with which credentials, deadline and rate limit. src/config builds it; everything below takes it.
import type { AuthSettings } from '../auth/index.js';
import type { RateLimit } from '../resilience/rate-limit.js';

/** The tool families taskhooks can read. */
export const SOURCE_ADAPTERS = ['agenthub', 'tracker', 'taskmaster'] as const;
export type SourceAdapter = (typeof SOURCE_ADAPTERS)[number];

export type SourcePlan =
  | { kind: 'remote'; adapter: 'agenthub' | 'tracker'; servers: string[] }
  /**
   * `configured`: the command was set by the user; otherwise it is the adapter's program, found where installed, and
   * `projectBin` says whether the project's own node_modules/.bin may provide it (a project the user trusted).
   */
  | { kind: 'stdio'; adapter: SourceAdapter; command: string; args: string[]; env: Record<string, string>; configured: boolean; projectBin: boolean }
  | { kind: 'embedded'; adapter: 'agenthub' };

export interface SourceSettings {
  plan: SourcePlan;
  /** The key its snapshots are cached under: failover URLs of one source share it. */
  key: string;
  /** A call's deadline when its caller gives none. */
  timeoutMs: number;
  rate: RateLimit;
  auth: AuthSettings;
}

/** The key under which a plan's snapshots are cached. */
export function sourceKey(plan: SourcePlan): string {
  switch (plan.kind) {
    case 'remote':
      return plan.servers[0] as string;
    case 'stdio':
      return `stdio:${[plan.command, ...plan.args].join(' ')}`;
    case 'embedded':
      return 'embedded';
  }
}

/** The servers whose circuit breakers guard this plan; the embedded store is in-process and has none. */
export function guardedServers(plan: SourcePlan): string[] {
  return plan.kind === 'remote' ? plan.servers : plan.kind === 'stdio' ? [sourceKey(plan)] : [];
}
