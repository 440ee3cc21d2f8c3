// The monitor's collaborators in production: the network stack (imported at first use, so `monitor status` and
// `monitor stop` never load it), git, the hook runners and the store server.
import { loadSettings } from '../config/settings.js';
import { createDashboard } from '../dashboard/routes.js';
import { boardTasks } from '../dashboard/board-tasks.js';
import { simpleGitRunner } from '../git/simple.js';
import { collectGitState } from '../git/state.js';
import { HOOKS_BY_NAME, passesGates, runHookPipeline } from '../hooks/index.js';
import { AGENT_HOOKS, fromAgentInput } from '../agents/hooks.js';
import type { MonitorServices } from './daemon.js';
import { startStoreServer } from './store-server.js';

export function productionServices(env: NodeJS.ProcessEnv): MonitorServices {
  return {
    refreshTasks: async (args) => (await import('../network/index.js')).refreshTasks(args),
    // The monitor reads git through simple-git; its served hooks run the hooks' own code, which spawns git itself.
    collectGitState: (cwd, log) => collectGitState(cwd, log, simpleGitRunner),
    runHook: async (event, raw, { cache, log, caller }) => {
      // The command hook's pipeline with the daemon's cache and no watchdog: the same settings loader (an edited
      // config file is seen at once), and the monitor never starts itself.
      const hook = HOOKS_BY_NAME[event];
      // Another agent's input is read in Claude Code's shape, and answered in the agent's, as its command entry does.
      const agent = caller?.agent ? AGENT_HOOKS[caller.agent] : undefined;
      const { value: input, agentEvent = '' } = agent ? fromAgentInput(agent, raw, caller?.agentEvent) : { value: raw };
      // The entry's cheap checks first, as a command entry makes them: most tool calls have nothing to say.
      if (!passesGates(hook, input, env)) return null;
      const result = await runHookPipeline(hook, input, {
        log: () => log,
        logFields: { event },
        settings: async (cwd) => {
          const { settings, configCacheError } = await loadSettings({ cwd, env });
          if (configCacheError) log.warn({ event }, configCacheError);
          return settings;
        },
        openCache: () => cache,
        // A caller on the home's socket names its agent's process (the hook shell's $PPID): what a command hook finds
        // among its own ancestors, which the monitor has none of.
        deps: {
          ensureMonitor: false,
          // Here a fetch starts no process and loads nothing: a served hook may fetch what a writer marked stale.
          allowNetwork: true,
          ...(caller?.agentPid ? { callerPid: () => caller.agentPid } : {}),
          ...(agent ? { agent: { id: agent.id, reach: agent.reach(agentEvent) } } : {}),
        },
      });
      return result.output && agent ? agent.fromCommon(result.output, agentEvent) : result.output;
    },
    claimOnServer: async (args) => (await import('../network/index.js')).claimOnServer(args),
    subscribe: async (args) => (await import('../network/index.js')).subscribeToChanges(args),
    startStoreServer: startStoreServer,
    dashboard: (ctx) =>
      createDashboard({ ...ctx, tasks: boardTasks({ cache: ctx.cache, log: ctx.log, env, home: ctx.home }) }),
    preload: async () => {
      await import('../network/index.js');
    },
  };
}
