// Opens the configured task source: its plan names the source, whose adapter (src/sources/<name>/adapter.ts) turns
// the plan into a TaskSource. Nothing touches the network here: the first call connects.
import { findGitRoot } from '../git/repo.js';
import type { OpenSourceArgs } from './adapter-contract.js';
import { ADAPTERS } from './adapters.js';
import { sourceName, type SourcePlan } from './plan.js';
import type { TaskSource } from './source.js';

export type { OpenSourceArgs } from './adapter-contract.js';

/**
 * How long a call may take when its caller names no deadline. The embedded store is a file on this machine: what a
 * write waits for is SQLite's busy wait behind other writers (and a monitor busy serving them), not a network that
 * may be down, so source.timeoutMs does not apply to it; this bound only ends a process wedged for good.
 */
export const LOCAL_STORE_DEADLINE_MS = 10 * 60_000;

export function callDeadlineMs(args: Pick<OpenSourceArgs, 'source' | 'dbFile'>): number {
  const local = args.dbFile !== undefined || args.source.plan.kind === 'embedded';
  return local ? Math.max(args.source.timeoutMs, LOCAL_STORE_DEADLINE_MS) : args.source.timeoutMs;
}

/** Opens the configured task source (a --db file always means the embedded store). */
export function openSource(args: OpenSourceArgs): TaskSource {
  const plan: SourcePlan = args.dbFile ? { kind: 'embedded' } : args.source.plan;
  const projectRoot = args.projectRoot ?? findGitRoot(process.cwd()) ?? process.cwd();
  const adapter: { open: (typeof ADAPTERS)[keyof typeof ADAPTERS]['open'] } = ADAPTERS[sourceName(plan)];
  return adapter.open({ ...args, plan, projectRoot, env: args.env ?? process.env });
}
