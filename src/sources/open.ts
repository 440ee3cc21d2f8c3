// Opens the configured task source: its plan names the source, whose adapter (src/sources/<name>/adapter.ts) turns
// the plan into a TaskSource. Nothing touches the network here: the first call connects.
import { findGitRoot } from '../git/repo.js';
import type { OpenSourceArgs } from './adapter-contract.js';
import { ADAPTERS } from './adapters.js';
import { withAdapterFixes } from './fixes.js';
import { sourceName, type SourcePlan } from './plan.js';
import type { TaskSource } from './source.js';

export type { OpenSourceArgs } from './adapter-contract.js';
export { callDeadlineMs } from './adapter-contract.js';

/** Opens the configured task source (a --db file always means the embedded store), its failures with its own fixes. */
export function openSource(args: OpenSourceArgs): TaskSource {
  const plan: SourcePlan = args.dbFile ? { kind: 'embedded' } : args.source.plan;
  const projectRoot = args.projectRoot ?? findGitRoot(process.cwd()) ?? process.cwd();
  const adapter: Pick<(typeof ADAPTERS)[keyof typeof ADAPTERS], 'open' | 'fixes'> = ADAPTERS[sourceName(plan)];
  const source = adapter.open({ ...args, plan, projectRoot, env: args.env ?? process.env });
  return adapter.fixes ? withAdapterFixes(source, adapter.fixes) : source;
}
