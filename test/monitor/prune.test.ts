// Nothing grows forever: the monitor's pruning against real git repositories, and the task store's expired id
// reservations.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addAlert, takeUnshownAlerts } from '../../src/cache/alerts.js';
import { writeGitState } from '../../src/cache/git-state.js';
import { takeFetchLease } from '../../src/cache/leases.js';
import { registerProject } from '../../src/cache/registered-projects.js';
import { readInjection, writeInjection } from '../../src/told/table.js';
import { readSnapshot, writeSnapshot } from '../../src/cache/snapshots.js';
import { openCache, type Cache } from '../../src/cache/cache.js';
import { pruneIfDue } from '../../src/monitor/upkeep/prune.js';
import { openTaskDb } from '../../src/server/index.js';
import { silentLogger } from '../helpers/cache.js';
import { cleanGitState, git } from '../helpers/git.js';
import { task, tempHome } from '../helpers/hooks.js';
import { makeRepoFor } from './fixtures.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 22);

function snap(cache: Cache, project: string, branch: string, fetchedAt: number): void {
  cache.write(() =>
    writeSnapshot(cache, { sourceKey: 'src', project, branch, fetchedAt, source: 'src', tasks: [], next: null }),
  );
}

function deps(cache: Cache, now = NOW) {
  const unused = () => Promise.reject(new Error('not used by pruning'));
  return {
    home: '',
    staleProjectDays: 14,
    cache,
    log: silentLogger(),
    env: {},
    refreshTasks: unused,
    collectGitState: unused,
    now: () => now,
  };
}

describe('the monitor prunes the cache', () => {
  it('drops snapshots of deleted branches and left projects, shown alerts, week-old sessions, git state of dropped repositories and expired leases', async () => {
    const t = tempHome();
    cleanups.push(t.cleanup);
    const repo = makeRepoFor('shop');
    cleanups.push(repo.cleanup);
    git(repo.dir, 'branch', 'feature');
    git(repo.dir, 'branch', 'gone');
    {
      const s = openCache({ home: t.home });
      cleanups.push(() => s.close());
      registerProject(s, { root: repo.dir, name: 'shop', sourceKey: 'src', registeredBy: 'test' }, NOW);
      for (const b of ['main', 'feature', 'gone', '']) snap(s, 'shop', b, NOW - DAY);
      git(repo.dir, 'branch', '-D', 'gone');
      snap(s, 'left-long-ago', 'main', NOW - 30 * DAY);
      snap(s, 'left-recently', 'main', NOW - DAY);
      addAlert(
        s,
        { sourceKey: 'src', project: 'shop', kind: 'new_priority_task', taskId: 'T-1', message: 'old news' },
        NOW - 10 * DAY,
      );
      takeUnshownAlerts(s, 'src', 'shop', NOW - 9 * DAY);
      // T-2 is still open: its alert is still news when it is taken.
      s.write(() =>
        writeSnapshot(s, {
          sourceKey: 'src',
          project: 'shop',
          branch: 'main',
          fetchedAt: NOW - DAY,
          source: 'src',
          tasks: [task('T-2', { priority: 'high' })],
          next: null,
        }),
      );
      addAlert(
        s,
        { sourceKey: 'src', project: 'shop', kind: 'new_priority_task', taskId: 'T-2', message: 'not shown yet' },
        NOW - 10 * DAY,
      );
      s.write(() => {
        writeGitState(s, cleanGitState({ repo: repo.dir }), NOW);
        writeGitState(s, cleanGitState({ repo: '/gone/repo' }), NOW);
      });
      takeFetchLease(s, { sourceKey: 'src', project: 'shop', branch: 'main' }, 'dead-hook', NOW - 1000, NOW - 2000);
      writeInjection(s, 'last-week', 'reminder', 'T-1', NOW - 8 * DAY);
      writeInjection(s, 'yesterday', 'reminder', 'T-1', NOW - DAY);

      expect(await pruneIfDue(deps(s))).toEqual({
        alerts: 1,
        injections: 1,
        gitStates: 1,
        leases: 1,
        snapshots: 2,
        etags: 0,
      });
      expect(readInjection(s, 'last-week', 'reminder')).toBeUndefined();
      expect(readInjection(s, 'yesterday', 'reminder')).toBe('T-1');
      for (const b of ['main', 'feature', ''])
        expect(readSnapshot(s, { sourceKey: 'src', project: 'shop', branch: b }), b).toBeDefined();
      expect(readSnapshot(s, { sourceKey: 'src', project: 'shop', branch: 'gone' })).toBeUndefined();
      expect(readSnapshot(s, { sourceKey: 'src', project: 'left-long-ago', branch: 'main' })).toBeUndefined();
      expect(readSnapshot(s, { sourceKey: 'src', project: 'left-recently', branch: 'main' })).toBeDefined();
      expect(takeUnshownAlerts(s, 'src', 'shop', NOW).map((a) => a.taskId)).toEqual(['T-2']);
      // Not again within hours: the task cycle calls it every time.
      expect(await pruneIfDue(deps(s, NOW + 3_600_000))).toBeUndefined();
    }
  });

  it('a project whose repository git cannot read keeps every snapshot', async () => {
    const t = tempHome();
    cleanups.push(t.cleanup);
    {
      const s = openCache({ home: t.home });
      cleanups.push(() => s.close());
      registerProject(
        s,
        { root: path.join(t.home, 'not-a-repo'), name: 'shop', sourceKey: 'src', registeredBy: 'test' },
        NOW,
      );
      snap(s, 'shop', 'whatever', NOW - DAY);
      expect((await pruneIfDue(deps(s)))?.snapshots).toBe(0);
    }
  });
});

describe('the task store', () => {
  it('clears expired id reservations when it makes a new one', async () => {
    const t = tempHome();
    cleanups.push(t.cleanup);
    const db = openTaskDb(path.join(t.home, 'tasks.db'));
    cleanups.push(() => db.close());
    const project = db.ensureProject('shop');
    const expired = db.reserveIds(project.id, 'US', 3, 1);
    await new Promise((r) => setTimeout(r, 10));
    const live = db.reserveIds(project.id, 'US', 2);
    const ids = (db.db.prepare('SELECT id FROM id_reservations').all() as Array<{ id: string }>).map((r) => r.id);
    expect(ids).toEqual([live.reservationId]);
    expect(ids).not.toContain(expired.reservationId);
    // The counter is not rewound: the expired range's numbers are never handed out again.
    expect(live.reservedIds).toEqual(['US-004', 'US-005']);
  });
});
