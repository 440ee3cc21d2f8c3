// OpenCode, whole: its plugin's events, its configuration, and whether the plugin install wrote will load. Its plugin
// runs as install wrote it: there is nothing for the user to approve.
import type { AgentAdapter } from '../agent.js';
import { OPENCODE_PLUGIN_SCRIPT, opencodeConfig } from './config.js';
import { opencodeHooks } from './hooks.js';
import { opencodeReadiness, ownPlugins } from './readiness.js';
import { hasOpencodeWiring, opencodeWiring, withOpencodeWiring, withoutOpencodeWiring } from './wiring.js';

export const opencode: AgentAdapter = {
  ...opencodeHooks,
  ...opencodeConfig,
  // OpenCode has no command hooks: taskhooks' plugin in its process posts to the monitor on loopback, else starts the
  // node hook with no shell (./call.ts), as on every OS.
  windows: { runs: 'plugin' },
  approval: ({ file, judge }) => opencodeReadiness(file, judge),
  approvalLine: () => undefined,
  plugin: {
    script: OPENCODE_PLUGIN_SCRIPT,
    wiring: opencodeWiring,
    loads: hasOpencodeWiring,
    withWiring: withOpencodeWiring,
    without: withoutOpencodeWiring,
    count: ownPlugins,
  },
};
