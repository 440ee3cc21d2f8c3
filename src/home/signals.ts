// A writer wakes the monitor by touching a file in $TASKHOOKS_HOME/signals/, which the monitor watches: no port, no
// token, no polling, and nothing is lost when no monitor runs (the stale marks in the cache stay for the next hook).
import { mkdirSync, readFileSync, rmSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log/logger.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { homeFiles } from './files.js';

const REFRESH = 'refresh';
/** Windows has no SIGTERM a process can catch (Node ends the process at once): `monitor stop` writes this instead. */
const STOP = 'stop';

/** Asks a running monitor to fetch what is marked stale now instead of at its next scheduled cycle. */
export function requestRefresh(home: string): void {
  writeSignal(home, REFRESH);
}

/**
 * Asks the running monitor to stop as on SIGTERM, through the state directory only its owner can write: no port, no
 * token, no signal (Windows has none a process can catch).
 */
export function requestStop(home: string): void {
  writeSignal(home, STOP);
}

function writeSignal(home: string, name: string): void {
  const dir = homeFiles(home).signals;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Renamed into place whole: written in place, the watcher's event for the file's creation could find it empty.
  writeFileAtomic(path.join(dir, name), `${Date.now()}\n`, 0o600);
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
 * Calls `onStop` once a stop is requested (requestStop) at or after `since` (this monitor's start): an older request
 * was for a monitor that ended without reading it, and is removed. The returned function stops watching. Throws when
 * the platform cannot watch the folder (the monitor then stops on signals alone).
 */
export function watchStopRequests(home: string, since: number, onStop: () => void): () => void {
  const dir = homeFiles(home).signals;
  const file = path.join(dir, STOP);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let done = false;
  const check = (): void => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return; // none, or removed meanwhile
    }
    // A request is whole once its line ends. One caught half-written (by a build that wrote it in place) is left for
    // the write that completes it, which the watch hears: removed now, that write would go to a deleted file.
    if (!text.endsWith('\n')) return;
    rmSync(file, { force: true });
    const at = Number(text);
    if (done || !(at >= since)) return;
    done = true;
    onStop();
  };
  const watcher = watch(dir, { persistent: false }, (_event, name) => {
    if (name === null || name === STOP) check();
  });
  check();
  return () => {
    done = true;
    watcher.close();
  };
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
