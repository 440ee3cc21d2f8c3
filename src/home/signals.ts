// A writer wakes the monitor by touching a file in $TASKHOOKS_HOME/signals/, which the monitor watches: no port, no
// token, no polling, and nothing is lost when no monitor runs (the stale marks in the cache stay for the next hook).
import { mkdirSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log/logger.js';
import { homeFiles } from './files.js';

const REFRESH = 'refresh';

/** Asks a running monitor to fetch what is marked stale now instead of at its next scheduled cycle. */
export function requestRefresh(home: string): void {
  const dir = homeFiles(home).signals;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(dir, REFRESH), `${Date.now()}\n`, { mode: 0o600 });
}

/**
 * requestRefresh for a caller whose own work is done and must not fail over this: when the signal cannot be written,
 * the monitor learns of the change at its next scheduled cycle instead, and the log says so.
 */
export function wakeMonitor(home: string, log: Logger, why: string): void {
  try {
    requestRefresh(home);
  } catch (err) {
    log.warn({ err, why }, `could not wake the monitor (${why}); it catches up at its next scheduled cycle`);
  }
}

/**
 * Calls `onRequest` whenever a refresh is requested. Throws when the platform cannot watch the folder: the caller
 * then falls back to its schedule.
 */
export function watchRefreshRequests(home: string, onRequest: () => void): FSWatcher {
  const dir = homeFiles(home).signals;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const watcher = watch(dir, { persistent: false }, (_event, name) => {
    if (name === null || name === REFRESH) onRequest();
  });
  return watcher;
}
