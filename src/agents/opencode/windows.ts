// OpenCode has no command hooks: taskhooks' plugin in its process posts to the monitor on loopback, else starts the
// node hook with no shell (./call.ts), as on every OS.
import type { WindowsHooks } from '../agent.js';

export const opencodeWindows: WindowsHooks = { runs: 'plugin' };
