// After a write to the built-in store, the process that made it reads again every scope the cache holds of the changed
// projects and hands them to the write's one record (src/cache/task-writes.ts): the next hook reads the change from
// the cache, with no fetch of its own and no monitor poll between. The alerts a monitor's fetch would have raised
// from the difference are raised here instead.
import type { Cache } from '../../cache/cache.js';
import { fetchedSnapshot, projectSnapshotKeys, readSnapshot, type SnapshotKey } from '../../cache/snapshots.js';
import type { FreshScope } from '../../cache/task-writes.js';
import { diffAlerts } from '../../context/alerts.js';
import type { StoreReads } from '../../store/tasks-db/reader.js';
import type { Scope } from '../../tasks/scope.js';
import { EMBEDDED_SOURCE_KEY } from '../plan.js';
import { scopeSnapshot } from './local-read.js';

/** One scope read again from `reads`, with the alerts its difference from the cached snapshot raises. */
function freshScope(reads: StoreReads, cache: Cache, key: SnapshotKey, server: string): FreshScope {
  const startedAt = Date.now();
  const scope: Scope = { project: key.project, branch: key.branch, projectRoot: '' };
  const snapshot = scopeSnapshot(reads, key, scope, server);
  const previous = fetchedSnapshot(readSnapshot(cache, key))?.tasks;
  const alerts = diffAlerts(previous, snapshot.tasks).map((a) => ({
    sourceKey: key.sourceKey,
    project: key.project,
    ...a,
  }));
  return { snapshot, startedAt, alerts };
}

/**
 * Every cached scope of the built-in store's `projects`, read again after a write, and `also` (the scope a command
 * acted on) when the cache holds none of it yet.
 */
export function freshScopes(
  reads: StoreReads,
  cache: Cache,
  a: { projects: readonly string[]; server: string; also?: Scope | undefined },
): FreshScope[] {
  const keys = a.projects.flatMap((p) => projectSnapshotKeys(cache, EMBEDDED_SOURCE_KEY, p));
  const also = a.also && { sourceKey: EMBEDDED_SOURCE_KEY, project: a.also.project, branch: a.also.branch };
  if (also && !keys.some((k) => k.project === also.project && k.branch === also.branch)) keys.push(also);
  const once = remembered(reads);
  return keys.map((key) => freshScope(once, cache, key, a.server));
}

/**
 * `reads` answering each list once for one pass over many scopes: every branch the store does not know reads the
 * same whole project, which each scope's listing and next task would otherwise read again.
 */
function remembered(reads: StoreReads): StoreReads {
  const kept = new Map<string, unknown>();
  const once =
    <A extends unknown[], R>(name: string, read: (...args: A) => R) =>
    (...args: A): R => {
      const key = `${name}\u0000${JSON.stringify(args)}`;
      if (!kept.has(key)) kept.set(key, read(...args));
      return kept.get(key) as R;
    };
  return {
    ...reads,
    listProjects: once('listProjects', reads.listProjects.bind(reads)),
    listBranches: once('listBranches', reads.listBranches.bind(reads)),
    listTasks: once('listTasks', reads.listTasks.bind(reads)),
    nextTask: once('nextTask', reads.nextTask.bind(reads)),
  };
}
