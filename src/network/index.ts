// The network stack's single entry point. Hooks load it (as dist/network.js) only when a live fetch is needed,
// so the SDK, openid-client and full zod never cost a cache hit anything. Exports are plain functions over
// plain data so the bundle boundary stays simple.
import { recordSnapshotError, writeSnapshot, type TaskSnapshot } from '../cache/snapshots.js';
import type { Store } from '../cache/store.js';
import type { Logger } from '../log/logger.js';
import type { ResiliencePolicy } from '../resilience/policy.js';
import { asTaskSourceError } from '../errors/task-source.js';
import { openSource } from '../sources/open.js';
import type { TaskSource } from '../sources/source.js';
import type { SourceSettings } from '../sources/plan.js';
import type { Scope } from '../tasks/scope.js';
import type { Deadline } from '../util/deadline.js';

export interface OpenTaskSourceArgs {
  source: SourceSettings;
  home: string;
  store: Store;
  log: Logger;
  projectRoot?: string;
  policy?: Partial<ResiliencePolicy>;
  /** `taskhooks tasks --db FILE`: this reference-server database, in-process. */
  dbFile?: string;
}

export async function openTaskSource(args: OpenTaskSourceArgs): Promise<TaskSource> {
  return openSource(args);
}

export interface RefreshArgs extends OpenTaskSourceArgs {
  scope: Scope;
  deadline: Deadline;
}

/**
 * Fetches the scope's pending tasks and next task from an open source by the deadline, writes the snapshot under
 * `sourceKey` and returns it. On failure the error is recorded on the cached snapshot (its tasks are kept) and thrown
 * as a TaskSourceError.
 */
export async function snapshotFrom(
  source: TaskSource,
  args: { sourceKey: string; store: Store; log: Logger; scope: Scope; deadline: Deadline },
): Promise<TaskSnapshot> {
  const key = { sourceKey: args.sourceKey, project: args.scope.project, branch: args.scope.branch };
  // A change made after this moment may not be in what the server answers: it keeps the snapshot marked stale.
  const startedAt = Date.now();
  try {
    const pending = await source.pending(args.scope, { deadline: args.deadline });
    const next = pending.next !== undefined ? pending.next : await source.next(args.scope, { deadline: args.deadline });
    const snapshot: TaskSnapshot = { ...key, fetchedAt: Date.now(), source: source.server(), tasks: pending.tasks, next };
    if (pending.note) snapshot.note = pending.note;
    if (pending.text) snapshot.text = pending.text;
    args.store.write(() => writeSnapshot(args.store, snapshot, startedAt));
    return snapshot;
  } catch (err) {
    const e = asTaskSourceError(err);
    args.store.write(() => recordSnapshotError(args.store, key, e.message));
    args.log.warn({ err: e, kind: e.kind, project: key.project, branch: key.branch }, 'task refresh failed');
    throw e;
  }
}

/** Opens the configured source for the scope, takes one snapshot through it (see snapshotFrom) and closes it. */
export async function refreshTasks(args: RefreshArgs): Promise<TaskSnapshot> {
  let source: TaskSource | undefined;
  try {
    source = openSource({ ...args, projectRoot: args.projectRoot ?? args.scope.projectRoot });
    return await snapshotFrom(source, { ...args, sourceKey: args.source.key });
  } catch (err) {
    const e = asTaskSourceError(err);
    if (!source) {
      // Opening can fail before any call (a missing credential): that too is the snapshot's last error.
      const { project, branch } = args.scope;
      args.store.write(() => recordSnapshotError(args.store, { sourceKey: args.source.key, project, branch }, e.message));
      args.log.warn({ err: e, kind: e.kind, project, branch }, 'task refresh failed');
    }
    throw e;
  } finally {
    // Closing (a stdio child, an HTTP session) is not part of the caller's deadline.
    void source?.close().catch((err: unknown) => args.log.debug({ err }, 'closing the task source failed'));
  }
}
