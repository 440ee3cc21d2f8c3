// Refreshing in the monitor: a project's git state, and tasks fetched once per (source, project, branch) for a cycle,
// a wake or a branch switch.
import { addAlert } from '../../cache/alerts.js';
import { releaseFetchLease, takeFetchLease } from '../../cache/leases.js';
import {
  dropStaleProjects,
  listProjects,
  recordRefresh,
  type RegisteredProject,
} from '../../cache/registered-projects.js';
import { fetchedSnapshot, readSnapshot, readSnapshotBrief, snapshotKey } from '../../cache/snapshots.js';
import type { Cache } from '../../cache/cache.js';
import { loadSettings, type Settings } from '../../config/settings.js';
import type { refreshTasks } from '../../network/index.js';
import { readHeadBranch } from '../../git/repo.js';
import type { Logger } from '../../log/logger.js';
import { resolveScope, type Scope } from '../../tasks/scope.js';
import { diffAlerts, type AlertDraft } from '../../context/alerts.js';
import { deadlineIn } from '../../util/deadline.js';
import { memoryMiB, type MemoryMiB } from '../upkeep/memory.js';
import { refreshGitState, type CollectGitStateFn } from './git-reads.js';

/** The client side's `refreshTasks`: fetches, writes the snapshot, throws TaskSourceError. A type-only import: the
 * network stack loads at first use, never with this module. */
export type RefreshTasksFn = typeof refreshTasks;

export interface RefreshDeps {
  home: string;
  /** From the daemon's own settings; each project's fetch uses the settings that apply in that project. */
  staleProjectDays: number;
  cache: Cache;
  log: Logger;
  /** The environment each project's settings are loaded in. */
  env: NodeJS.ProcessEnv;
  refreshTasks: RefreshTasksFn;
  collectGitState: CollectGitStateFn;
  /** Whether a source's changes arrive pushed right now (a live subscription): the schedule may then leave it out. */
  pushed?: (sourceKey: string) => boolean;
  now?: () => number;
}

export interface CycleReport {
  projects: number;
  fetches: number;
  failures: number;
  alerts: number;
  dropped: string[];
  /** Wall time of the whole cycle. */
  ms: number;
  /** The process's memory as the cycle ends, in MiB: whether the monitor gives back what its fetches took. */
  memory: MemoryMiB;
}

const LEASE_HOLDER = `monitor-${process.pid}`;

/** Fetches run a few at a time: parallel enough for many projects, gentle on the servers and on memory. */
const CONCURRENCY = 2;

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** One fetch: a (source, project, branch), and every registered project it answers for. */
export interface Fetch {
  settings: Settings;
  scope: Scope;
  projects: RegisteredProject[];
}

/**
 * Groups projects that mean the same fetch: worktrees and clones of one project on one branch share a snapshot. The
 * branch is the one HEAD names, as the hooks read it: git failing (a timeout, a lock) cannot turn the fetch into one
 * for "no branch".
 */
async function planFetches(deps: RefreshDeps, projects: RegisteredProject[]): Promise<Fetch[]> {
  const fetches = new Map<string, Fetch>();
  for (const p of projects) {
    const { settings } = await loadSettings({ cwd: p.root, env: deps.env });
    const scope = resolveScope(settings.project, p.root, readHeadBranch(p.root));
    const id = JSON.stringify([settings.source.key, scope.project, scope.branch]);
    const existing = fetches.get(id);
    if (existing) existing.projects.push(p);
    else fetches.set(id, { settings, scope, projects: [p] });
  }
  return [...fetches.values()];
}

interface FetchOutcome {
  fetch: Fetch;
  error: string | null;
  alerts: AlertDraft[];
}

async function runFetch(deps: RefreshDeps, f: Fetch): Promise<FetchOutcome> {
  const { source } = f.settings;
  const key = snapshotKey(source.key, f.scope);
  const before = readSnapshot(deps.cache, key);
  // Several tool calls, perhaps a stdio server's start: more than one call's timeout, nothing waits on it.
  const deadline = deadlineIn(Math.max(1000, source.timeoutMs * 3));
  // The lease tells hooks waiting for this snapshot that it is on its way. A hook holding it already is fetching the
  // same thing: the monitor fetches all the same, and whichever lands first serves both.
  const leased = takeFetchLease(deps.cache, key, LEASE_HOLDER, deadline.at);
  try {
    const snap = await deps.refreshTasks({
      source,
      home: deps.home,
      cache: deps.cache,
      log: deps.log,
      scope: f.scope,
      deadline,
    });
    const previous = fetchedSnapshot(before)?.tasks;
    return { fetch: f, error: null, alerts: diffAlerts(previous, snap.tasks) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    deps.log.warn(
      { project: f.scope.project, branch: f.scope.branch, source: source.key, error: message },
      'refresh failed; the previous snapshot is kept',
    );
    return { fetch: f, error: message, alerts: [] };
  } finally {
    if (leased) releaseFetchLease(deps.cache, key, LEASE_HOLDER);
  }
}

/** Runs `fetches` a few at a time, then records each project's outcome and the alerts in one transaction. */
export async function runFetches(deps: RefreshDeps, fetches: Fetch[]): Promise<{ failures: number; alerts: number }> {
  const outcomes = await mapLimit(fetches, CONCURRENCY, (f) => runFetch(deps, f));
  const at = deps.now?.() ?? Date.now();
  let alerts = 0;
  deps.cache.write(() => {
    for (const o of outcomes) {
      for (const p of o.fetch.projects)
        recordRefresh(deps.cache, p.root, o.error === null ? 'ok' : 'error', o.error, at);
      for (const a of o.alerts) {
        if (addAlert(deps.cache, { sourceKey: o.fetch.settings.source.key, project: o.fetch.scope.project, ...a }, at))
          alerts++;
      }
    }
  });
  return { failures: outcomes.filter((o) => o.error !== null).length, alerts };
}

/**
 * Fetches the tasks of `projects` on their branches (see planFetches), once per (source, project, branch), leaving out
 * the fetches `needed` says may wait.
 */
export async function refreshProjects(
  deps: RefreshDeps,
  projects: RegisteredProject[],
  needed: (f: Fetch) => boolean = () => true,
): Promise<{ fetches: number; failures: number; alerts: number }> {
  const fetches = (await planFetches(deps, projects)).filter(needed);
  return { fetches: fetches.length, ...(await runFetches(deps, fetches)) };
}

/**
 * Whether the schedule may leave this fetch out: the embedded store announces every change it makes (it marks the
 * snapshots stale and wakes the monitor), and so does a server whose changes are pushed, so its snapshot is right
 * until marked. It is still fetched once past half its TTL, so that sessions rarely find it expired and fetch for
 * themselves.
 */
function announcedAndFresh(deps: RefreshDeps, f: Fetch, now: number): boolean {
  const { cache } = deps;
  if (f.settings.source.plan.kind !== 'embedded' && !deps.pushed?.(f.settings.source.key)) return false;
  // The brief, not the snapshot: a cycle asks this of every project, and parsing each whole task list only to read
  // its age was most of what an idle cycle allocated.
  const brief = fetchedSnapshot(readSnapshotBrief(cache, snapshotKey(f.settings.source.key, f.scope)));
  return brief !== undefined && !brief.stale && now - brief.fetchedAt < (f.settings.cache.taskTtlSeconds * 1000) / 2;
}

/**
 * The task cycle: drop stale projects, read and store git state (unless `git` is false), then fetch once per (source,
 * project, branch) and record outcomes and alerts.
 */
export async function refreshTaskCycle(
  deps: RefreshDeps,
  { git = true }: { git?: boolean } = {},
): Promise<CycleReport> {
  const now = deps.now ?? Date.now;
  const started = performance.now();
  const dropped = dropStaleProjects(deps.cache, deps.staleProjectDays, now());
  if (dropped.length > 0)
    deps.log.info({ dropped }, `projects not seen for ${deps.staleProjectDays} days left the schedule`);
  const projects = listProjects(deps.cache);
  if (git) await mapLimit(projects, CONCURRENCY, (p) => refreshGitState(deps, p.root));
  const result = await refreshProjects(deps, projects, (f) => !announcedAndFresh(deps, f, now()));
  const report: CycleReport = {
    projects: projects.length,
    ...result,
    dropped,
    ms: Math.round(performance.now() - started),
    memory: memoryMiB(),
  };
  deps.log.info(report, 'task refresh cycle done');
  return report;
}
