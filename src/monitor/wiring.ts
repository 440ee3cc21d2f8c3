// The monitor's real collaborators from the other areas. The network stack is imported at first use, so
// `monitor status` and `monitor stop` never load it.
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { readGitState } from '../git/state.js';
import { runPreToolUse, runSessionStart, type HookDeps } from '../hooks/index.js';
import type { MonitorDeps } from './daemon.js';
import { startEmbeddedServer } from './embedded.js';

/** Served hooks see many events from one project in a burst; its config is re-read at most this often. */
const CONFIG_TTL_MS = 2000;

function configCache(env: NodeJS.ProcessEnv): (cwd: string | undefined) => LoadedConfig {
  const cache = new Map<string, { loaded: LoadedConfig; at: number }>();
  return (cwd) => {
    const key = cwd ?? '';
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && now - hit.at < CONFIG_TTL_MS) return hit.loaded;
    const loaded = cwd ? loadConfig({ cwd, env }) : loadConfig({ env });
    if (cache.size > 100) cache.clear();
    cache.set(key, { loaded, at: now });
    return loaded;
  };
}

function cwdOf(input: unknown): string | undefined {
  const cwd = (input as { cwd?: unknown } | null)?.cwd;
  return typeof cwd === 'string' && cwd !== '' ? cwd : undefined;
}

export function realDeps(env: NodeJS.ProcessEnv): MonitorDeps {
  const configFor = configCache(env);
  return {
    refreshTasks: async (args) => (await import('../live/network.js')).refreshTasks(args),
    readGitState,
    runHook: (event, input, { store, log }) => {
      // The same runners as the command hooks; the monitor never starts itself, and only SessionStart may fetch.
      const deps: HookDeps = { loaded: configFor(cwdOf(input)), store, log, allowNetwork: event === 'session-start', ensureMonitor: false };
      return event === 'session-start' ? runSessionStart(input, deps) : runPreToolUse(input, deps);
    },
    startEmbedded: startEmbeddedServer,
  };
}
