// The network stack's single entry point. Hooks load it (as dist/network.js) only when a live fetch is needed,
// so the SDK, openid-client and full zod never cost a cache hit anything. Exports are plain functions over
// plain data so the bundle boundary stays simple.
import {
  fetchedSnapshot,
  readSnapshot,
  snapshotKey,
  recordSnapshotError,
  writeSnapshot,
  type SnapshotKey,
  type TaskSnapshot,
} from '../cache/snapshots.js';
import { applyTaskChanges } from '../tasks/delta.js';
import type { Cache } from '../cache/cache.js';
import type { Logger } from '../log/logger.js';
import { loadTokenFormats, scrubData } from '../log/redact.js';
import { asTaskSourceError, type TaskSourceError } from '../errors/task-source.js';
import { callDeadlineMs, openSource, type OpenSourceArgs } from '../sources/open.js';
import { inProject, operation, type PendingResult, type TaskSource } from '../sources/source.js';
import type { Scope } from '../tasks/scope.js';
import { deadlineIn, type Deadline } from '../util/deadline.js';
import { recordTaskWrite, type FreshScope } from '../cache/task-writes.js';
import { subscribeToChanges as subscribeLive, type SubscribeArgs } from '../sources/live.js';
import type { SubscribeOutcome } from '../mcp/subscribe.js';
import { applyPushedChanges, type PatchedSnapshot } from './pushed.js';

export type { SubscribeArgs } from '../sources/live.js';
export type { ResourceSubscription, SubscribeOutcome } from '../mcp/subscribe.js';
export type { PatchedSnapshot } from './pushed.js';
export { recentWork, shareWork, type ReadWorkArgs, type Shared, type ShareWorkArgs } from './work-records.js';

export interface LiveArgs extends SubscribeArgs {
  /** The snapshots a notification patched from what it carried, before `onChange` hears of it. */
  onPatched?(patched: PatchedSnapshot[]): void;
}

/**
 * Subscribes to the source's pushed changes (see sources/live.ts); what a notification carries of the changes is
 * applied to the project's snapshots it covers before `onChange` hears of it, so those need no fetch.
 */
export async function subscribeToChanges(args: LiveArgs): Promise<SubscribeOutcome> {
  await loadTokenFormats();
  return subscribeLive({
    ...args,
    onChange(project, sequence, carried) {
      if (carried !== undefined) {
        try {
          const patched = applyPushedChanges({
            source: args.source,
            cache: args.cache,
            log: args.log,
            project,
            carried,
          });
          if (patched.length > 0) args.onPatched?.(patched);
        } catch (err) {
          args.log.warn({ err, project }, 'applying pushed changes failed: the snapshots are fetched instead');
        }
      }
      args.onChange(project, sequence);
    },
  });
}

export interface RefreshArgs extends OpenSourceArgs {
  scope: Scope;
  deadline: Deadline;
}

/** A failed refresh as the snapshot's last error (its tasks are kept) and a warning; returns it to throw. */
function refreshFailed(args: { cache: Cache; log: Logger }, key: SnapshotKey, err: unknown): TaskSourceError {
  const e = asTaskSourceError(err);
  args.cache.write(() => recordSnapshotError(args.cache, key, e.message));
  args.log.warn({ err: e, kind: e.kind, project: key.project, branch: key.branch }, 'task refresh failed');
  return e;
}

type SnapshotArgs = { sourceKey: string; cache: Cache; log: Logger; scope: Scope; deadline: Deadline };

/**
 * The cached snapshot brought up to date by what changed since its cursor (one `list since` call, then the next
 * task), or undefined when it must be read whole: no cursor, the server could not answer from it, or the call failed.
 */
async function patchedByDelta(
  source: TaskSource,
  args: SnapshotArgs,
  key: SnapshotKey,
): Promise<PendingResult | undefined> {
  const cached = fetchedSnapshot(readSnapshot(args.cache, key));
  if (!source.pendingSince || !cached?.cursor || cached.note !== undefined || cached.text !== undefined)
    return undefined;
  const where = { project: key.project, branch: key.branch, sequence: cached.cursor.sequence };
  try {
    const changes = await source.pendingSince(args.scope, cached.cursor, { deadline: args.deadline });
    if ('full' in changes) {
      args.log.info({ ...where, why: changes.why }, 'reading the whole task list: no delta');
      return undefined;
    }
    const tasks = applyTaskChanges(cached.tasks, changes, Date.now());
    args.log.debug({ ...where, changed: changes.changed.length, removed: changes.removedIds.length }, 'delta applied');
    return { tasks, cursor: changes.cursor };
  } catch (err) {
    args.log.warn({ ...where, err }, 'the delta failed: reading the whole task list');
    return undefined;
  }
}

/**
 * Reads the scope's pending tasks and next task from an open source by the deadline, and returns the snapshot unwritten
 * with the moment the read began: patched by what changed since the cached snapshot's cursor where the source can
 * tell, else read whole.
 */
async function fetchSnapshot(
  source: TaskSource,
  args: SnapshotArgs,
): Promise<{ snapshot: TaskSnapshot; startedAt: number }> {
  const key = snapshotKey(args.sourceKey, args.scope);
  // A change made after this moment may not be in what the server answers: it keeps the snapshot marked stale.
  const startedAt = Date.now();
  const pending =
    (await patchedByDelta(source, args, key)) ?? (await source.pending(args.scope, { deadline: args.deadline }));
  const next = pending.next !== undefined ? pending.next : await source.next(args.scope, { deadline: args.deadline });
  const snapshot: TaskSnapshot = { ...key, fetchedAt: Date.now(), source: source.server(), tasks: pending.tasks, next };
  if (pending.note) {
    // What a list left out or where it was cut (a cap, its byte budget) is the user's to see, and the log's.
    args.log.info({ ...key, kept: pending.tasks.length, note: pending.note }, 'the task list came with a note');
    snapshot.note = pending.note;
  }
  if (pending.text) snapshot.text = pending.text;
  if (pending.cursor) snapshot.cursor = pending.cursor;
  // Loaded once the answer is here and holds what a rule may match: a server that never answers costs no load.
  await loadTokenFormats(snapshot);
  return { snapshot, startedAt };
}

/**
 * Fetches the scope's snapshot (see fetchSnapshot), writes it under `sourceKey` and returns it. On failure the error is
 * recorded on the cached snapshot (its tasks are kept) and thrown as a TaskSourceError.
 */
export async function snapshotFrom(source: TaskSource, args: SnapshotArgs): Promise<TaskSnapshot> {
  try {
    const { snapshot, startedAt } = await fetchSnapshot(source, args);
    return writeSnapshot(args.cache, snapshot, startedAt);
  } catch (err) {
    await loadTokenFormats(err instanceof Error ? err.message : String(err));
    throw refreshFailed(args, snapshotKey(args.sourceKey, args.scope), err);
  }
}

/** Opens the configured source for the scope, takes one snapshot through it (see snapshotFrom) and closes it. */
export async function refreshTasks(args: RefreshArgs): Promise<TaskSnapshot> {
  const { project, branch, projectRoot } = args.scope;
  let source: TaskSource;
  try {
    source = openSource({ ...args, projectRoot: args.projectRoot ?? projectRoot });
  } catch (err) {
    // Opening can fail before any call (a missing credential): that too is the snapshot's last error.
    throw refreshFailed(args, { sourceKey: args.source.key, project, branch }, err);
  }
  try {
    return await snapshotFrom(source, { ...args, sourceKey: args.source.key });
  } finally {
    // Closing (a stdio child, an HTTP connection) is not part of the caller's deadline.
    void source.close().catch((err: unknown) => args.log.debug({ err }, 'closing the task source failed'));
  }
}

export interface UseSourceArgs extends OpenSourceArgs {
  /** The project and branch acted on: after a change its snapshot is fetched again through the same connection. */
  scope: Scope;
  /** The action changes tasks: the cache must hold the new state before the caller answers. */
  write?: boolean;
}

/**
 * After a change through `source`: the scope read again through the same connection, and when that read began, as
 * a write's record takes its fresh scopes; undefined when the read failed, which leaves the scope marked stale.
 */
export async function scopeAfterWrite(
  source: TaskSource,
  args: OpenSourceArgs & { scope: Scope },
): Promise<FreshScope[] | undefined> {
  const deadline = deadlineIn(callDeadlineMs(args));
  const read = fetchSnapshot(source, { ...args, sourceKey: args.source.key, deadline });
  return read
    .then((fresh) => [fresh])
    .catch(async (err: unknown) => {
      await loadTokenFormats(err instanceof Error ? err.message : String(err));
      args.log.warn({ err }, 'the change is made, but the cache could not be refreshed: the next hook fetches live');
      return undefined;
    });
}

/**
 * After a change through `source`, the write is recorded once (src/cache/task-writes.ts) with the scope read again:
 * the project's other snapshots are marked stale and a running monitor is woken for them, so the next hook (and an
 * open dashboard) already sees the change.
 */
async function recordCommandWrite(source: TaskSource, args: UseSourceArgs): Promise<void> {
  const at = Date.now();
  const fresh = await scopeAfterWrite(source, args);
  const { cache, home, log } = args;
  recordTaskWrite(cache, { home, log, projects: [args.scope.project], at, fresh, why: 'a task changed' });
}

/**
 * Opens the source, runs `fn` on it and always closes it: the CLI's task commands and the dashboard act on tasks
 * through this one path, and get its answer with registered secrets removed (scrubData). A change is recorded before
 * the answer (see recordCommandWrite).
 */
export async function useTaskSource<T>(args: UseSourceArgs, fn: (source: TaskSource) => Promise<T>): Promise<T> {
  const source = openSource(args);
  try {
    // Ids are counted per project on a server that keeps several: an id is the scope's project's task.
    const result = await fn(inProject(source, args.scope.project));
    // A --db file is not the task store the hooks' source reads: its changes mean nothing to the cache.
    if (args.write && !args.dbFile) await recordCommandWrite(source, args);
    // What the server answered reaches a terminal or the dashboard's page: the same scrubbing as the cache's.
    await loadTokenFormats(result);
    return scrubData(result);
  } finally {
    await source.close();
  }
}

export interface ServerClaimArgs extends OpenSourceArgs {
  action: 'claim' | 'release';
  taskId: string;
  /** The project the session works in: the id is its task (a server may count ids per project). */
  project: string;
  claimant: string;
  leaseSeconds: number;
  deadline: Deadline;
}

/**
 * Takes or renews (`claim`) a session's claim on a task, or gives it back (`release`), through one connection that
 * is closed after. Throws TaskSourceError: `config` when the source keeps no claims.
 */
export async function claimOnServer(args: ServerClaimArgs): Promise<void> {
  const source = openSource(args);
  try {
    const opts = { deadline: args.deadline, project: args.project };
    if (args.action === 'claim')
      await operation(source, 'claim', 'keep claims')(
        args.taskId,
        { claimant: args.claimant, leaseSeconds: args.leaseSeconds },
        opts,
      );
    else await operation(source, 'release', 'keep claims')(args.taskId, args.claimant, opts);
  } catch (err) {
    throw asTaskSourceError(err);
  } finally {
    void source.close().catch((err: unknown) => args.log.debug({ err }, 'closing the task source failed'));
  }
}
