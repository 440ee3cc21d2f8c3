// The monitor's collaborators in production: the network stack (imported at first use, so `monitor status` and
// `monitor stop` never load it), git, the served hook host, the store server and the dashboard (loaded by its first
// request).
import { loadedOnFirstRequest } from '../dashboard/mount.js';
import { simpleGitRunner } from '../git/simple.js';
import { collectGitState } from '../git/state.js';
import { runServedHook } from '../hooks/index.js';
import { recordCall } from '../cache/metrics.js';
import { snapshotKey, writeSnapshot, type TaskSnapshot } from '../cache/snapshots.js';
import { homeFiles } from '../home/files.js';
import type { RefreshArgs } from '../network/index.js';
import { readLocalSnapshot } from '../sources/embedded/local-read.js';
import { BUILT_IN_VIA_MONITOR } from '../sources/embedded/notes.js';
import type { MonitorServices } from './daemon.js';
import { startStoreServer } from './serve/store-server.js';
import { ensureDashboardToken } from '../home/secrets.js';

/** Whether a refresh reads the home's own built-in store, which this process serves. */
const ownStore = (args: Pick<RefreshArgs, 'source' | 'dbFile'>): boolean =>
  args.source.plan.kind === 'embedded' && args.dbFile === undefined;

/**
 * The built-in store read in the monitor's own process, as its store server would answer: not a request to itself
 * over HTTP, which loaded the network stack and Node's fetch (its HTTP parser alone kept megabytes resident) into an
 * idle monitor. Undefined where the store needs its full open: the refresh goes through the server then.
 */
async function readOwnStore(args: RefreshArgs): Promise<TaskSnapshot | undefined> {
  const startedAt = Date.now();
  try {
    const key = snapshotKey(args.source.key, args.scope);
    const snapshot = await readLocalSnapshot(homeFiles(args.home).tasks, key, args.scope, BUILT_IN_VIA_MONITOR);
    if (!snapshot) return undefined;
    recordCall(args.cache, BUILT_IN_VIA_MONITOR, Date.now() - startedAt, null);
    return writeSnapshot(args.cache, snapshot, startedAt);
  } catch (err) {
    args.log.warn({ err }, 'reading the built-in store in process failed: reading it through its server');
    return undefined;
  }
}

export function productionServices(env: NodeJS.ProcessEnv): MonitorServices {
  return {
    refreshTasks: async (args) =>
      (ownStore(args) ? await readOwnStore(args) : undefined) ??
      (await import('../network/index.js')).refreshTasks(args),
    // The monitor reads git through simple-git; its served hooks run the hooks' own code, which spawns git itself.
    collectGitState: (cwd, log) => collectGitState(cwd, log, simpleGitRunner),
    // The hooks' served host (src/hooks/hosts/served.ts) runs the event; the monitor lends its cache and log.
    runHook: (event, raw, { cache, log, caller }) => runServedHook(event, raw, { cache, log, env, caller }),
    claimOnServer: async (args) => (await import('../network/index.js')).claimOnServer(args),
    subscribe: async (args) => (await import('../network/index.js')).subscribeToChanges(args),
    startStoreServer: startStoreServer,
    dashboard: (ctx) => {
      // Made at once: `taskhooks dashboard` reads it to print the link before any page has loaded the routes.
      const linkToken = ensureDashboardToken(ctx.home);
      return loadedOnFirstRequest(async () => {
        const [{ createDashboard }, { boardTasks }] = await Promise.all([
          import('../dashboard/routes.js'),
          import('../dashboard/board-tasks.js'),
        ]);
        const tasks = boardTasks({ cache: ctx.cache, log: ctx.log, env, home: ctx.home });
        return createDashboard({ ...ctx, tasks, linkToken });
      }, ctx.log);
    },
    // Not for the built-in store alone, which the monitor reads in process: nothing then needs the network stack.
    preload: async (source) => {
      if (ownStore({ source })) return false;
      await import('../network/index.js');
      return true;
    },
  };
}
