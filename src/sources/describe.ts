// The configured task source in words, for `config` and `doctor`: which adapter, where, and who serves the embedded store.
import type { Logger } from '../log/logger.js';
import { readStoreServer } from './embedded/store-access.js';
import type { SourcePlan } from './plan.js';

export { sourceName } from './plan.js';

export function describeSource(plan: SourcePlan, home: string, log: Logger): string {
  switch (plan.kind) {
    case 'remote':
      return `${plan.adapter} at ${plan.servers.join(', ')}`;
    case 'stdio':
      return `${plan.adapter} over stdio: ${[plan.command, ...plan.args].join(' ')}`;
    case 'cli':
      return `${plan.adapter}, its command-line program: ${[plan.command, ...plan.args].join(' ')}`;
    case 'embedded': {
      const served = readStoreServer(home, log);
      return `built-in store (tasks.db in ${home}, ${served ? `served by the monitor at ${served.url}` : 'in-process: no monitor serves it'})`;
    }
  }
}
