import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { takeUnshownAlerts } from '../../src/cache/alerts.js';
import { readGitState as readCachedGit } from '../../src/cache/git-state.js';
import type { GitState } from '../../src/git/state.js';
import { listProjects, registerProject } from '../../src/cache/registered-projects.js';
import {
  snapshotKey,
  listSnapshotsDue,
  markSnapshotStale,
  readSnapshot,
  recordSnapshotError,
  writeSnapshot,
  type TaskSnapshot,
} from '../../src/cache/snapshots.js';
import { openCache, type Cache } from '../../src/cache/cache.js';
import { silentLogger } from '../helpers/cache.js';
import { refreshGitState } from '../../src/monitor/refresh/git-reads.js';
import { refreshTaskCycle, type RefreshDeps, type RefreshTasksFn } from '../../src/monitor/refresh/refresh.js';
import { refreshStaleSnapshots } from '../../src/monitor/refresh/stale.js';
import type { Task } from '../../src/tasks/task.js';
import { task } from '../helpers/hooks.js';
import { cleanGitState } from '../helpers/git.js';

const SOURCE = 'http://127.0.0.1:9/mcp';
let home: string;
let cache: Cache;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'th-refresh-'));
  cache = openCache({ home });
});
afterEach(() => {
  cache.close();
  rmSync(home, { recursive: true, force: true });
});

const git = (repo: string, branch: string): GitState => cleanGitState({ repo, branch });

/** Checks `branch` out in `root` as far as a fetch's scope is concerned: HEAD names it. */
function checkOut(root: string, branch: string): void {
  mkdirSync(path.join(root, '.git'), { recursive: true });
  writeFileSync(path.join(root, '.git', 'HEAD'), `ref: refs/heads/${branch}\n`);
}

/** A project folder on main; `name` decides the project on the server (the folder's name, as resolveScope does). */
function project(parent: string, name: string): string {
  const root = path.join(home, parent, name);
  checkOut(root, 'main');
  registerProject(cache, { root, name, sourceKey: SOURCE, registeredBy: 'test' });
  return root;
}

function deps(over: Partial<RefreshDeps> & { tasks?: () => Task[]; fail?: string }): RefreshDeps & { calls: string[] } {
  const calls: string[] = [];
  const refreshTasks: RefreshTasksFn = async ({ scope, cache: s, source }) => {
    calls.push(`${scope.project}@${scope.branch}`);
    if (over.fail) {
      recordSnapshotError(s, snapshotKey(source.key, scope), over.fail);
      throw new Error(over.fail);
    }
    const snap: TaskSnapshot = {
      sourceKey: source.key,
      project: scope.project,
      branch: scope.branch,
      fetchedAt: Date.now(),
      source: source.key,
      tasks: over.tasks?.() ?? [],
      next: null,
    };
    s.write(() => writeSnapshot(s, snap));
    return snap;
  };
  return {
    home,
    staleProjectDays: 14,
    cache,
    log: silentLogger(),
    // TASKHOOKS_HOME: each project's settings are loaded as the monitor does, never from the real home.
    env: { MCP_SERVER_URL: SOURCE, TASKHOOKS_HOME: home },
    refreshTasks,
    collectGitState: async (cwd) => git(cwd, 'main'),
    calls,
    ...over,
  };
}

describe('refreshTaskCycle', () => {
  it('fetches once per (source, project, branch): two clones of one project on one branch share a fetch', async () => {
    const a = project('one', 'shop');
    const b = project('two', 'shop');
    project('three', 'blog');
    const d = deps({});
    const report = await refreshTaskCycle(d);
    expect(d.calls.sort()).toEqual(['blog@main', 'shop@main']);
    expect(report).toMatchObject({ projects: 3, fetches: 2, failures: 0 });
    const byRoot = new Map(listProjects(cache).map((p) => [p.root, p]));
    expect(byRoot.get(a)?.lastOutcome).toBe('ok');
    expect(byRoot.get(b)?.lastOutcome).toBe('ok');
    expect(readCachedGit(cache, a)?.state.branch).toBe('main');
  });

  it('without git, fetches every project and reads no git state: the first cycle after a start leaves it to sessions', async () => {
    const root = project('one', 'shop');
    let reads = 0;
    const d = deps({
      collectGitState: async (cwd) => {
        reads++;
        return git(cwd, 'main');
      },
    });
    expect(await refreshTaskCycle(d, { git: false })).toMatchObject({ projects: 1, fetches: 1 });
    expect(d.calls).toEqual(['shop@main']);
    expect(reads).toBe(0);
    expect(readCachedGit(cache, root)).toBeUndefined();
    await refreshTaskCycle(d);
    expect(reads).toBe(1);
  });

  it('leaves out the embedded store while its snapshot is unmarked and younger than half its TTL: its changes are announced', async () => {
    const root = path.join(home, 'one', 'shop');
    checkOut(root, 'main');
    registerProject(cache, { root, name: 'shop', sourceKey: 'embedded', registeredBy: 'test' });
    const embedded = (over: Partial<RefreshDeps> = {}) => deps({ env: { TASKHOOKS_HOME: home }, ...over });
    const first = embedded();
    await refreshTaskCycle(first);
    expect(first.calls).toEqual(['shop@main']);
    const quiet = embedded();
    expect(await refreshTaskCycle(quiet)).toMatchObject({ projects: 1, fetches: 0 });
    markSnapshotStale(cache, { sourceKey: 'embedded', project: 'shop', branch: 'main' });
    const marked = embedded();
    await refreshTaskCycle(marked);
    expect(marked.calls).toEqual(['shop@main']);
    // Past half the TTL (900 s by default) it is fetched on the schedule again.
    const later = embedded({ now: () => Date.now() + 451_000 });
    await refreshTaskCycle(later);
    expect(later.calls).toEqual(['shop@main']);
  });

  it('fetches separately for different branches of one project', async () => {
    project('one', 'shop');
    checkOut(project('two', 'shop'), 'feature');
    const d = deps({});
    await refreshTaskCycle(d);
    expect(d.calls.sort()).toEqual(['shop@feature', 'shop@main']);
  });

  it('fetches for the branch HEAD names when git itself fails, not for "no branch"', async () => {
    checkOut(project('one', 'shop'), 'dev');
    const d = deps({ collectGitState: async () => null });
    await refreshTaskCycle(d);
    expect(d.calls).toEqual(['shop@dev']);
  });

  it('records a failure, keeps the previous snapshot, and goes on with the other projects', async () => {
    const root = project('one', 'shop');
    await refreshTaskCycle(deps({ tasks: () => [task('1')] }));
    const report = await refreshTaskCycle(
      deps({ fail: 'Task source unavailable: connection refused at http://127.0.0.1:9/mcp' }),
    );
    expect(report.failures).toBe(1);
    const p = listProjects(cache).find((x) => x.root === root);
    expect(p?.lastOutcome).toBe('error');
    expect(p?.lastError).toContain('connection refused');
    const snap = readSnapshot(cache, { sourceKey: SOURCE, project: 'shop', branch: 'main' });
    expect(snap?.tasks.map((t) => t.id)).toEqual(['1']);
    expect(snap?.lastError).toContain('connection refused');
  });

  it('records alerts for what changed, once, and none on the first fetch', async () => {
    project('one', 'shop');
    let tasks = [task('1', { status: 'in_progress' }), task('2', { priority: 'critical' })];
    const d = deps({ tasks: () => tasks });
    expect((await refreshTaskCycle(d)).alerts).toBe(0);
    tasks = [
      task('1', { status: 'blocked' }),
      task('2', { priority: 'critical' }),
      task('3', { priority: 'critical', title: 'Fix login outage' }),
    ];
    expect((await refreshTaskCycle(d)).alerts).toBe(2);
    expect((await refreshTaskCycle(d)).alerts).toBe(0);
    expect(takeUnshownAlerts(cache, SOURCE, 'shop').map((a) => a.message)).toEqual([
      'Task blocked: Task 1 (id 1) was in progress',
      'New critical task: Fix login outage (id 3)',
    ]);
  });

  it('drops projects not seen for monitor.staleProjectDays (14) and never fetches for them', async () => {
    const fresh = project('one', 'shop');
    registerProject(
      cache,
      { root: path.join(home, 'old'), name: 'old', sourceKey: SOURCE, registeredBy: 'test' },
      Date.now() - 15 * 86_400_000,
    );
    registerProject(
      cache,
      { root: path.join(home, 'recent'), name: 'recent', sourceKey: SOURCE, registeredBy: 'test' },
      Date.now() - 13 * 86_400_000,
    );
    const d = deps({});
    const report = await refreshTaskCycle(d);
    expect(report.dropped).toEqual([path.join(home, 'old')]);
    expect(
      listProjects(cache)
        .map((p) => p.root)
        .sort(),
    ).toEqual([fresh, path.join(home, 'recent')].sort());
    expect(d.calls).not.toContain('old@main');
  });
});

describe('refreshGitState', () => {
  it("writes a project's git state, and keeps the cached one when git fails", async () => {
    const a = project('one', 'shop');
    const b = project('two', 'blog');
    const d = deps({
      collectGitState: async (cwd) => {
        if (cwd === b) throw new Error('git exploded');
        return git(cwd, 'dev');
      },
    });
    expect(await refreshGitState(d, a)).toMatchObject({ branch: 'dev' });
    expect(await refreshGitState(d, b)).toBeNull();
    expect(readCachedGit(cache, a)?.state.branch).toBe('dev');
    expect(readCachedGit(cache, b)).toBeUndefined();
  });
});

describe('refreshStaleSnapshots', () => {
  const snap = (project: string, branch: string, at: number): TaskSnapshot => ({
    sourceKey: SOURCE,
    project,
    branch,
    fetchedAt: at,
    source: SOURCE,
    tasks: [],
    next: null,
  });

  it('fetches each stale snapshot of a registered project on the branch its row names, and leaves the rest', async () => {
    project('one', 'shop');
    const t0 = Date.now() - 60_000;
    cache.write(() => {
      for (const s of [snap('shop', 'feature', t0), snap('shop', 'main', t0), snap('elsewhere', 'main', t0)])
        writeSnapshot(cache, s);
    });
    markSnapshotStale(cache, { sourceKey: SOURCE, project: 'shop', branch: 'feature' });
    markSnapshotStale(cache, { sourceKey: SOURCE, project: 'elsewhere', branch: 'main' });
    markSnapshotStale(cache, { sourceKey: 'http://127.0.0.1:9/other', project: 'shop', branch: 'main' });
    const d = deps({});
    expect(await refreshStaleSnapshots(d)).toMatchObject({ stale: 2, fetches: 1, failures: 0 });
    expect(d.calls).toEqual(['shop@feature']);
    expect(listSnapshotsDue(cache).map((s) => s.project)).toEqual(['elsewhere']);
    expect(readSnapshot(cache, { sourceKey: SOURCE, project: 'shop', branch: 'main' })?.fetchedAt).toBe(t0);
  });

  it('keeps the mark when the fetch fails, so the next wake or hook tries again', async () => {
    project('one', 'shop');
    cache.write(() => writeSnapshot(cache, snap('shop', 'main', Date.now() - 60_000)));
    markSnapshotStale(cache, { sourceKey: SOURCE, project: 'shop', branch: 'main' });
    expect(await refreshStaleSnapshots(deps({ fail: 'Task source unavailable: connection refused' }))).toMatchObject({
      fetches: 1,
      failures: 1,
    });
    expect(listSnapshotsDue(cache)).toHaveLength(1);
  });
});
