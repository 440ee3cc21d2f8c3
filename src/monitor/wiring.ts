// The monitor's real collaborators from the other areas. The network stack is imported at first use, so
// `monitor status` and `monitor stop` never load it.
import { loadConfigCached } from '../config/cached.js';
import { configSecrets } from '../config/env.js';
import { registerSecret } from '../log/redact.js';
import { readGitState } from '../git/state.js';
import { runPreToolUse, runSessionStart, type HookDeps } from '../hooks/index.js';
import type { MonitorDeps } from './daemon.js';
import { startEmbeddedServer } from './embedded.js';

function cwdOf(input: unknown): string | undefined {
  const cwd = (input as { cwd?: unknown } | null)?.cwd;
  return typeof cwd === 'string' && cwd !== '' ? cwd : undefined;
}

export function realDeps(env: NodeJS.ProcessEnv): MonitorDeps {
  return {
    refreshTasks: async (args) => (await import('../network/index.js')).refreshTasks(args),
    readGitState,
    runHook: async (event, input, { store, log }) => {
      // The same runners and the same validated-config cache as the command hooks (an edited config file is seen at
      // once); the monitor never starts itself, and only SessionStart may fetch.
      const { loaded, error } = await loadConfigCached({ cwd: cwdOf(input) ?? process.cwd(), env });
      if (error) log.warn({ event }, error);
      for (const secret of configSecrets(loaded.config)) registerSecret(secret);
      const deps: HookDeps = { loaded, store, log, allowNetwork: event === 'session-start', ensureMonitor: false };
      return event === 'session-start' ? runSessionStart(input, deps) : runPreToolUse(input, deps);
    },
    startEmbedded: startEmbeddedServer,
  };
}
