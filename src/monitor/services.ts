// The monitor's collaborators in production: the network stack (imported at first use, so `monitor status` and
// `monitor stop` never load it), git, the hook runners and the embedded task server.
import { loadSettings } from '../config/settings.js';
import { collectGitState } from '../git/state.js';
import { postToolUseHook, preToolUseHook, readHookInput, sessionStartHook, userPromptSubmitHook, type CommandHook } from '../hooks/index.js';
import type { HookEvent } from './served-hooks.js';
import type { MonitorServices } from './daemon.js';
import { startEmbeddedServer } from './embedded.js';

const HOOKS: Record<HookEvent, CommandHook> = {
  'session-start': sessionStartHook,
  'pre-tool-use': preToolUseHook,
  'post-tool-use': postToolUseHook,
  'user-prompt-submit': userPromptSubmitHook,
};

export function productionServices(env: NodeJS.ProcessEnv): MonitorServices {
  return {
    refreshTasks: async (args) => (await import('../network/index.js')).refreshTasks(args),
    collectGitState,
    runHook: async (event, input, { store, log }) => {
      // The command hook's own steps with the daemon's store: the same input check, filters, runner and network
      // allowance, and the same settings loader (an edited config file is seen at once); the monitor never starts
      // itself.
      const hook = HOOKS[event];
      const parsed = await readHookInput(input);
      if (!parsed.ok) {
        log.warn({ event, reason: parsed.reason }, `${hook.name}: nothing injected`);
        return null;
      }
      if (!hook.wants(parsed.input)) return null;
      const { settings, cacheError } = await loadSettings({ cwd: parsed.input.cwd || process.cwd(), env });
      if (cacheError) log.warn({ event }, cacheError);
      if (hook.wantsWith && !hook.wantsWith(parsed.input, settings)) return null;
      try {
        const { output } = await hook.run(parsed.input, { settings, store, log, allowNetwork: hook.allowNetwork, ensureMonitor: false });
        return output;
      } catch (err) {
        if (!hook.rescue) throw err;
        log.error({ err, event }, `${hook.name} failed; answering from the settings alone`);
        return hook.rescue(parsed.input, settings);
      }
    },
    startEmbedded: startEmbeddedServer,
    preload: async () => {
      await import('../network/index.js');
    },
  };
}
