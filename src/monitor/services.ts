// The monitor's collaborators in production: the network stack (imported at first use, so `monitor status` and
// `monitor stop` never load it), git, the hook runners and the embedded task server.
import { loadSettings } from '../config/settings.js';
import { collectGitState } from '../git/state.js';
import { runPostToolUse, runPreToolUse, runSessionStart, type HookDeps, type HookOutput } from '../hooks/index.js';
import type { HookEvent } from './served-hooks.js';
import type { MonitorServices } from './daemon.js';
import { startEmbeddedServer } from './embedded.js';

const RUNNERS: Record<HookEvent, (input: unknown, deps: HookDeps) => Promise<HookOutput | null>> = {
  'session-start': runSessionStart,
  'pre-tool-use': runPreToolUse,
  'post-tool-use': runPostToolUse,
};

function cwdOf(input: unknown): string | undefined {
  const cwd = (input as { cwd?: unknown } | null)?.cwd;
  return typeof cwd === 'string' && cwd !== '' ? cwd : undefined;
}

export function productionServices(env: NodeJS.ProcessEnv): MonitorServices {
  return {
    refreshTasks: async (args) => (await import('../network/index.js')).refreshTasks(args),
    collectGitState,
    runHook: async (event, input, { store, log }) => {
      // The same runners and the same settings loader as the command hooks (an edited config file is seen at
      // once); the monitor never starts itself.
      const { settings, cacheError } = await loadSettings({ cwd: cwdOf(input) ?? process.cwd(), env });
      if (cacheError) log.warn({ event }, cacheError);
      const deps: HookDeps = { settings, store, log, allowNetwork: true, ensureMonitor: false };
      return RUNNERS[event](input, deps);
    },
    startEmbedded: startEmbeddedServer,
    preload: async () => {
      await import('../network/index.js');
    },
  };
}
