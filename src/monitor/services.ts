// The monitor's collaborators in production: the network stack (imported at first use, so `monitor status` and
// `monitor stop` never load it), git, the served hook host and the store server.
import { createDashboard } from '../dashboard/routes.js';
import { boardTasks } from '../dashboard/board-tasks.js';
import { simpleGitRunner } from '../git/simple.js';
import { collectGitState } from '../git/state.js';
import { runServedHook } from '../hooks/index.js';
import type { MonitorServices } from './daemon.js';
import { startStoreServer } from './store-server.js';
import { ensureDashboardToken } from '../home/secrets.js';

export function productionServices(env: NodeJS.ProcessEnv): MonitorServices {
  return {
    refreshTasks: async (args) => (await import('../network/index.js')).refreshTasks(args),
    // The monitor reads git through simple-git; its served hooks run the hooks' own code, which spawns git itself.
    collectGitState: (cwd, log) => collectGitState(cwd, log, simpleGitRunner),
    // The hooks' served host (src/hooks/hosts/served.ts) runs the event; the monitor lends its cache and log.
    runHook: (event, raw, { cache, log, caller }) => runServedHook(event, raw, { cache, log, env, caller }),
    claimOnServer: async (args) => (await import('../network/index.js')).claimOnServer(args),
    subscribe: async (args) => (await import('../network/index.js')).subscribeToChanges(args),
    startStoreServer: startStoreServer,
    dashboard: (ctx) =>
      createDashboard({
        ...ctx,
        tasks: boardTasks({ cache: ctx.cache, log: ctx.log, env, home: ctx.home }),
        linkToken: ensureDashboardToken(ctx.home),
      }),
    preload: async () => {
      await import('../network/index.js');
    },
  };
}
