// The embedded store read in the command's own process (`tasks list`, `next`, `show`): which store, the read itself
// loaded by import() only when it runs, and whether a monitor serves the store (the name the answer gives its server).
import { homeFiles } from '../../home/files.js';
import { readStoreServerEndpoint } from '../../home/endpoint.js';
import type { Logger } from '../../log/logger.js';
import { BUILT_IN_STORE, BUILT_IN_VIA_MONITOR } from './notes.js';

/** What a read is given: the in-process reads, loaded when it runs. */
export type LocalRead = typeof import('./local-read.js');

export interface InProcessStore {
  /** The name of the source the command acts on: only `embedded` is read in process. */
  source: string;
  home: string;
  /** A --db file read instead of the home's store. */
  dbFile?: string | undefined;
  /** The log, opened only when a read fails. */
  log: () => Logger;
}

/**
 * A read of the embedded store in this process (`read`, given its file), with no network stack, task server or cache:
 * what the served read would answer, for a fraction of the start-up. Undefined when the source is another one, or the
 * read cannot answer (the store needs the full open to migrate or restore it; an id it does not hold), and the
 * caller reads through the source.
 */
export async function readInProcess<T>(
  store: InProcessStore,
  read: (local: LocalRead, file: string) => T | undefined,
): Promise<T | undefined> {
  if (store.source !== 'embedded') return undefined;
  const file = store.dbFile ?? homeFiles(store.home).tasks;
  try {
    return read(await import('./local-read.js'), file);
  } catch (err) {
    store.log().warn({ err, file }, 'reading the task store in process failed: reading it through its server instead');
    return undefined;
  }
}

/** The server a served read of the embedded store names: the monitor's, where it serves this store. */
export const embeddedServer = (store: Pick<InProcessStore, 'home' | 'dbFile'>): string =>
  // Named for the store, not for the monitor's loopback port, which dies with it.
  monitorServesStore(store) ? BUILT_IN_VIA_MONITOR : BUILT_IN_STORE;

/** Whether a live monitor serves the home's store (a --db file is never served). */
export function monitorServesStore(store: Pick<InProcessStore, 'home' | 'dbFile'>): boolean {
  if (store.dbFile) return false;
  try {
    return readStoreServerEndpoint(store.home) !== undefined;
  } catch {
    return false; // a damaged endpoint file: the served read uses the store in process, and says so in its log
  }
}
