// Changes a task server pushed, applied where they fit: a snapshot whose cursor the notification's delta covers is
// patched from it at once, with no call, so a change reaches every follower's cache without a thousand of them asking
// the server the same thing. The rest are fetched as before (marked stale by the caller, the monitor).
import {
  fetchedSnapshot,
  projectSnapshotKeys,
  readSnapshot,
  writeSnapshot,
  type SnapshotKey,
} from '../cache/snapshots.js';
import type { Cache } from '../cache/cache.js';
import type { Logger } from '../log/logger.js';
import { ADAPTERS } from '../sources/adapters.js';
import { sourceName, type SourceSettings } from '../sources/plan.js';
import { applyTaskChanges } from '../tasks/delta.js';
import type { Task } from '../tasks/task.js';

export interface PushedArgs {
  source: SourceSettings;
  cache: Cache;
  log: Logger;
  project: string;
  /** What the notification carried beside its sequence. */
  carried: unknown;
  now?: number;
}

/** A snapshot a notification patched: its tasks before and after, for what the monitor tells of (alerts). */
export interface PatchedSnapshot {
  key: SnapshotKey;
  previous: Task[];
  current: Task[];
}

/** Patches the project's snapshots the carried changes cover; returns them. */
export function applyPushedChanges(args: PushedArgs): PatchedSnapshot[] {
  const { source, cache, project } = args;
  const pushed = ADAPTERS[sourceName(source.plan)].pushed;
  const [server] = source.plan.kind === 'remote' ? source.plan.servers : [];
  if (!pushed || server === undefined) return [];
  const now = args.now ?? Date.now();
  const patched: PatchedSnapshot[] = [];
  for (const key of projectSnapshotKeys(cache, source.key, project)) {
    const snap = fetchedSnapshot(readSnapshot(cache, key));
    if (!snap?.cursor || snap.note !== undefined || snap.text !== undefined) continue;
    const patch = pushed({
      server,
      branch: key.branch,
      cursor: snap.cursor,
      nextId: snap.next?.id,
      carried: args.carried,
    });
    if (!patch) continue;
    const next = patch.next !== undefined ? patch.next : snap.next;
    const tasks = applyTaskChanges(snap.tasks, patch, now);
    // Started at 0: a stale mark already there stays (it may be a change after this delta), and a snapshot already
    // further on is not written back.
    writeSnapshot(cache, { ...snap, fetchedAt: now, tasks, next, cursor: patch.cursor }, 0);
    patched.push({ key, previous: snap.tasks, current: tasks });
  }
  if (patched.length > 0) args.log.debug({ project, patched: patched.length }, 'pushed changes applied');
  return patched;
}
