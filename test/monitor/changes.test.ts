// The monitor woken by change, as real processes: the built CLI as the monitor, the reference server, real git
// repositories. Both schedules are set a year out, so whatever the monitor does after its start-up cycle, a change did.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readGitState } from '../../src/cache/git-state.js';
import { listProjects } from '../../src/cache/registered-projects.js';
import { markSnapshotStale, readSnapshot } from '../../src/cache/snapshots.js';
import { requestRefresh } from '../../src/home/signals.js';
import type { TaskDb } from '../../src/server/index.js';
import { git } from '../helpers/git.js';
import { runHookHere, sessionStartInput, withHomeCache } from '../helpers/hooks.js';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';
import { makeRepoFor } from './fixtures.js';
import { monitorHome, waitFor, type MonitorHome } from './helpers.js';

const NEVER = '0 0 1 1 *';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function seedShop(db: TaskDb): void {
  const p = db.ensureProject('shop');
  db.createTask({
    projectId: p.id,
    gitBranchId: db.ensureBranch(p.id, 'main').id,
    title: 'Write the checkout page',
    priority: 'medium',
  });
  db.createTask({
    projectId: p.id,
    gitBranchId: db.ensureBranch(p.id, 'feature').id,
    title: 'Feature work',
    priority: 'high',
  });
}

const cycles = (home: string): number => {
  const file = path.join(home, 'logs', 'monitor.log');
  return existsSync(file) ? readFileSync(file, 'utf8').split('task refresh cycle done').length - 1 : 0;
};

/** A monitor on the reference server with both schedules a year out, its start-up cycle done (no project yet). */
async function quietMonitor(): Promise<{ m: MonitorHome; ref: ReferenceServer }> {
  const ref = await startReferenceServer({ seed: seedShop });
  cleanups.push(() => ref.close());
  const m = monitorHome({
    source: { servers: [ref.url], timeoutMs: 2000 },
    auth: { token: ref.token },
    monitor: { taskSchedule: NEVER, gitSchedule: NEVER },
  });
  cleanups.push(() => m.cleanup());
  expect(m.cli(['monitor', 'start']).code).toBe(0);
  await waitFor('the start-up cycle', () => cycles(m.home) === 1);
  return { m, ref };
}

/** Registers `dir` the way a session does: a SessionStart hook there (which wakes the monitor for a new project). */
async function sessionIn(home: string, dir: string): Promise<void> {
  expect((await runHookHere('session-start', sessionStartInput(dir, `s-${Date.now()}`), { home, cwd: dir })).code).toBe(
    0,
  );
}

describe('the monitor wakes on change (real processes)', () => {
  it('picks up a new project, re-fetches a snapshot marked stale, and follows commits, staging and a branch switch', async () => {
    const { m, ref } = await quietMonitor();
    const { home } = m;
    const repo = makeRepoFor('shop');
    cleanups.push(repo.cleanup);
    const dir = repo.dir;

    // A new project: registered by SessionStart, fetched by the monitor without waiting for the schedule (only the
    // monitor records a refresh outcome on the project).
    await sessionIn(home, dir);
    await waitFor('the monitor to fetch the new project', () =>
      withHomeCache(home, (s) => listProjects(s)[0]?.lastOutcome === 'ok'),
    );

    // A write elsewhere, marked stale as the task store does, and the monitor asked to refresh.
    const p = ref.db.ensureProject('shop');
    ref.db.createTask({
      projectId: p.id,
      gitBranchId: ref.db.ensureBranch(p.id, 'main').id,
      title: 'Added by another session',
      priority: 'low',
    });
    withHomeCache(home, (s) => markSnapshotStale(s, { sourceKey: ref.url, project: 'shop', branch: 'main' }));
    requestRefresh(home);
    const fresh = await waitFor('the stale snapshot fetched again, with the new task and its mark cleared', () => {
      const snap = withHomeCache(home, (s) => readSnapshot(s, { sourceKey: ref.url, project: 'shop', branch: 'main' }));
      return snap?.staleSince === undefined && snap?.tasks.some((t) => t.title === 'Added by another session')
        ? snap
        : undefined;
    });
    expect(fresh.tasks.map((t) => t.title).sort()).toEqual(['Added by another session', 'Write the checkout page']);

    const gitState = () => withHomeCache(home, (s) => readGitState(s, dir)?.state);
    // A commit: fresh git state, with the commit's time.
    repo.commit('second commit');
    const afterCommit = await waitFor('git state with the new commit', () =>
      gitState()?.commits[0]?.subject === 'second commit' ? gitState() : undefined,
    );
    expect(Math.abs((afterCommit?.commits[0]?.committedAt ?? 0) - Date.now())).toBeLessThan(60_000);

    // Staging.
    writeFileSync(path.join(dir, 'staged.txt'), 'x');
    git(dir, 'add', 'staged.txt');
    await waitFor('git state with one staged file', () => gitState()?.staged === 1);

    // A branch switch: git state for the new branch and that branch's tasks fetched at once; nothing new registered.
    git(dir, 'checkout', '-q', '-b', 'feature');
    await waitFor('git state on feature', () => gitState()?.branch === 'feature');
    const feature = await waitFor('the feature branch fetched', () =>
      withHomeCache(home, (s) => readSnapshot(s, { sourceKey: ref.url, project: 'shop', branch: 'feature' })),
    );
    expect(feature.tasks.map((t) => t.title)).toEqual(['Feature work']);
    expect(withHomeCache(home, (s) => listProjects(s)).map((p) => p.root)).toEqual([dir]);
    expect(cycles(home)).toBe(1);
  }, 60_000);

  it('follows a linked worktree: a commit there moves the ref in the main repository, and the monitor sees it', async () => {
    const { m } = await quietMonitor();
    const { home } = m;
    const repo = makeRepoFor('shop');
    cleanups.push(repo.cleanup);
    const wt = path.join(path.dirname(repo.dir), 'shop-wt');
    git(repo.dir, 'worktree', 'add', '-q', '-b', 'feature', wt);
    await sessionIn(home, wt);
    await waitFor('the monitor to fetch the worktree', () =>
      withHomeCache(home, (s) => listProjects(s)[0]?.lastOutcome === 'ok'),
    );
    writeFileSync(path.join(wt, 'w.txt'), 'w');
    git(wt, 'add', 'w.txt');
    git(wt, 'commit', '-q', '-m', 'in the worktree');
    await waitFor('git state with the worktree commit', () =>
      withHomeCache(home, (s) => readGitState(s, wt)?.state.commits[0]?.subject === 'in the worktree'),
    );
    expect(cycles(home)).toBe(1);
  }, 60_000);
});
