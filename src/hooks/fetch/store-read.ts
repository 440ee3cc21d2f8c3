// The built-in store's tasks for a session that finds no fresh snapshot: tasks.db read here, read-only, in one read
// transaction. It is local and takes milliseconds, so it needs neither the monitor, nor the network stack, nor time
// left before the deadline: the one thing a session must have never waits for a monitor starting beside it.
import { snapshotKey, type TaskSnapshot } from '../../cache/snapshots.js';
import type { Settings } from '../../config/settings.js';
import { homeFiles } from '../../home/files.js';
import { scrubData } from '../../log/redact.js';
import { listing, next } from '../../sources/embedded/local-read.js';
import { BUILT_IN_STORE } from '../../sources/embedded/notes.js';
import { readStore } from '../../store/reader.js';
import type { Scope } from '../../tasks/scope.js';
import type { FetchOutcome } from '../trace.js';

/**
 * The scope's pending tasks and next task as the store's server would answer them, or undefined where the store needs
 * its full open (missing, another schema version, a lost write-ahead log): the caller fetches as before.
 */
export function storeRead(
  settings: Settings,
  scope: Scope,
): { snapshot: TaskSnapshot; outcome: FetchOutcome } | undefined {
  const began = Date.now();
  const read = readStore(homeFiles(settings.home).tasks, (reads) =>
    scrubData({ ...listing(reads, scope, false), next: next(reads, scope) }),
  );
  if (!read) return undefined;
  const { tasks, note } = read;
  const snapshot: TaskSnapshot = {
    ...snapshotKey(settings.source.key, scope),
    fetchedAt: Date.now(),
    source: BUILT_IN_STORE,
    tasks,
    next: read.next,
    ...(note ? { note } : {}),
  };
  return { snapshot, outcome: { via: 'store', ms: Date.now() - began } };
}
