// The monitor's real collaborators from the other areas. The network stack is imported at first use, so
// `monitor status` and `monitor stop` never load it.
import { readGitState } from '../git/state.js';
import type { MonitorDeps } from './daemon.js';
import type { RefreshTasksFn } from './refresh.js';

export function realDeps(): MonitorDeps {
  return {
    refreshTasks: async (args) => {
      const network: Partial<{ refreshTasks: RefreshTasksFn }> = await import('../live/network.js');
      if (!network.refreshTasks) throw new Error('Task source unavailable: this build has no network stack');
      return network.refreshTasks(args);
    },
    readGitState: (cwd) => readGitState(cwd),
    runHook: async () => null,
    startEmbedded: async () => {
      throw new Error('the embedded task server is not part of this build');
    },
  };
}
