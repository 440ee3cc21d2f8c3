// One monitor cycle: every registered project's git state, and its tasks fetched once per (source, project, branch).
import { addAlert } from '../cache/alerts.js';
import { writeGitState, type GitState } from '../cache/git-state.js';
import { dropStaleProjects, listProjects, recordRefresh, type RegisteredProject } from '../cache/projects.js';
import { readSnapshot } from '../cache/snapshots.js';
import type { Store } from '../cache/store.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { refreshTasks } from '../network/index.js';
import { planSource, sourceKey } from '../config/source.js';
import { readHeadBranch } from '../git/head.js';
import type { Logger } from '../log/logger.js';
import { resolveScope, type Scope } from '../tasks/scope.js';
import { diffAlerts, type AlertDraft } from './alerts.js';
import { deadlineIn } from '../util/deadline.js';

/** The client side's `refreshTasks`: fetches, writes the snapshot, throws TaskSourceError. A type-only import: the
 * network stack loads at first use, never with this module. */
export type RefreshTasksFn = typeof refreshTasks;

/** The hooks side's `readGitState` (src/git/state.ts): null when `cwd` is not in a repository or git failed (logged). */
export type ReadGitStateFn = (cwd: string, log: Logger) => Promise<GitState | null>;

export interface RefreshDeps {
  home: string;
  /** The daemon's own config: staleness and concurrency. Each project's fetch uses that project's config. */
  config: Config;
  store: Store;
  log: Logger;
  env: NodeJS.ProcessEnv;
  refreshTasks: RefreshTasksFn;
  readGitState: ReadGitStateFn;
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
}

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

async function gitStateOf(deps: RefreshDeps, root: string): Promise<GitState | null> {
  try {
    return await deps.readGitState(root, deps.log);
  } catch (err) {
    deps.log.warn({ err, root }, 'could not read git state; the cached one is kept');
    return null;
  }
}

/** Git state of every registered project, written in one transaction. */
export async function refreshGitCycle(deps: RefreshDeps): Promise<number> {
  const projects = listProjects(deps.store);
  const states = await mapLimit(projects, CONCURRENCY, (p) => gitStateOf(deps, p.root));
  const at = deps.now?.() ?? Date.now();
  const found = states.filter((s): s is GitState => s !== null);
  if (found.length > 0) deps.store.write(() => found.forEach((s) => writeGitState(deps.store, s, at)));
  return found.length;
}

interface Fetch {
  config: Config;
  scope: Scope;
  sourceKey: string;
  projects: RegisteredProject[];
}

/** Groups projects that mean the same fetch: worktrees and clones of one project on one branch share a snapshot. */
function planFetches(deps: RefreshDeps, projects: RegisteredProject[], states: Array<GitState | null>): Fetch[] {
  const fetches = new Map<string, Fetch>();
  projects.forEach((p, i) => {
    const { config } = loadConfig({ cwd: p.root, env: deps.env });
    // Git failing (a timeout, a lock) must not turn the fetch into one for "no branch": HEAD names the branch as
    // the hooks read it.
    const state = states[i];
    const scope = resolveScope(config, p.root, state ? (state.detached ? '' : state.branch) : readHeadBranch(p.root));
    const key = sourceKey(planSource(config));
    const id = JSON.stringify([key, scope.project, scope.branch]);
    const existing = fetches.get(id);
    if (existing) existing.projects.push(p);
    else fetches.set(id, { config, scope, sourceKey: key, projects: [p] });
  });
  return [...fetches.values()];
}

interface FetchOutcome {
  fetch: Fetch;
  error: string | null;
  alerts: AlertDraft[];
}

async function runFetch(deps: RefreshDeps, f: Fetch): Promise<FetchOutcome> {
  const before = readSnapshot(deps.store, f.sourceKey, f.scope.project, f.scope.branch);
  try {
    const snap = await deps.refreshTasks({
      config: f.config,
      home: deps.home,
      store: deps.store,
      log: deps.log,
      scope: f.scope,
      deadline: deadlineIn(Math.max(1000, f.config.source.timeoutMs * 3)),
    });
    // A snapshot with fetchedAt 0 only ever recorded errors: there is nothing to compare with yet.
    const previous = before && before.fetchedAt > 0 ? before.tasks : undefined;
    return { fetch: f, error: null, alerts: diffAlerts(previous, snap.tasks) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    deps.log.warn({ project: f.scope.project, branch: f.scope.branch, source: f.sourceKey, error: message }, 'refresh failed; the previous snapshot is kept');
    return { fetch: f, error: message, alerts: [] };
  }
}

/**
 * The task cycle: drop stale projects, read git state (the branch decides the scope), fetch once per
 * (source, project, branch), then write git states, outcomes and alerts in one transaction.
 */
export async function refreshTaskCycle(deps: RefreshDeps): Promise<CycleReport> {
  const now = deps.now ?? Date.now;
  const started = performance.now();
  const dropped = dropStaleProjects(deps.store, deps.config.monitor.staleProjectDays, now());
  if (dropped.length > 0) deps.log.info({ dropped }, `projects not seen for ${deps.config.monitor.staleProjectDays} days left the schedule`);
  const projects = listProjects(deps.store);
  const states = await mapLimit(projects, CONCURRENCY, (p) => gitStateOf(deps, p.root));
  const fetches = planFetches(deps, projects, states);
  const outcomes = await mapLimit(fetches, CONCURRENCY, (f) => runFetch(deps, f));
  const at = now();
  let alerts = 0;
  deps.store.write(() => {
    for (const s of states) if (s) writeGitState(deps.store, s, at);
    for (const o of outcomes) {
      for (const p of o.fetch.projects) recordRefresh(deps.store, p.root, o.error === null ? 'ok' : 'error', o.error, at);
      for (const a of o.alerts) {
        if (addAlert(deps.store, { sourceKey: o.fetch.sourceKey, project: o.fetch.scope.project, ...a }, at)) alerts++;
      }
    }
  });
  const report: CycleReport = {
    projects: projects.length,
    fetches: fetches.length,
    failures: outcomes.filter((o) => o.error !== null).length,
    alerts,
    dropped,
    ms: Math.round(performance.now() - started),
  };
  deps.log.info(report, 'task refresh cycle done');
  return report;
}
