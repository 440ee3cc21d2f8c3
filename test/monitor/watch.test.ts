// The monitor's change-driven parts in-process: the job lane, git metadata watchers on real repositories, the
// fallback poll for a repository that cannot be watched, and the task cycle meeting a registration.
import { watch, type FSWatcher } from 'node:fs';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readGitState } from '../../src/cache/git-state.js';
import { registerProject, unregisterProject } from '../../src/cache/registered-projects.js';
import { writeSnapshot, type TaskSnapshot } from '../../src/cache/snapshots.js';
import { openCache, type Cache } from '../../src/cache/cache.js';
import { loadSettings } from '../../src/config/settings.js';
import { collectGitState } from '../../src/git/state.js';
import { requestRefresh } from '../../src/home/signals.js';
import { watchChanges } from '../../src/monitor/refresh/changes.js';
import { startMonitor } from '../../src/monitor/daemon.js';
import { createGitWatchers, type WatchFn } from '../../src/monitor/watch/git-watch.js';
import { coalesced, createLane } from '../../src/monitor/refresh/lane.js';
import type { RefreshDeps, RefreshTasksFn } from '../../src/monitor/refresh/refresh.js';
import { silentLogger } from '../helpers/cache.js';
import { hookEnv, tempHome, withHomeCache } from '../helpers/hooks.js';
import { git, makeRepo, type TempRepo } from '../helpers/git.js';
import { waitFor } from './helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function repo(): TempRepo {
  const r = makeRepo({ commits: ['one', 'two'] });
  cleanups.push(r.cleanup);
  return r;
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('createLane', () => {
  it('runs jobs one at a time; a waiting job is joined, a running one joined or followed as asked', async () => {
    const lane = createLane({ log: silentLogger() });
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = lane.run(
      'tasks',
      async () => {
        order.push('tasks start');
        await gate;
        order.push('tasks end');
      },
      'join',
    );
    await tick();
    // A cycle asked for while one runs is that run; a wake asked for twice while waiting runs once.
    expect(lane.run('tasks', async () => order.push('never'), 'join')).toBe(first);
    const wake = lane.run('wake', async () => order.push('wake'), 'again');
    expect(lane.run('wake', async () => order.push('never'), 'again')).toBe(wake);
    release();
    await lane.drained();
    expect(order).toEqual(['tasks start', 'tasks end', 'wake']);
  });

  it('logs a failed job and goes on with the next one', async () => {
    const errors: unknown[] = [];
    const log = { ...silentLogger(), error: (o: unknown) => void errors.push(o) } as ReturnType<typeof silentLogger>;
    const lane = createLane({ log });
    const ran: string[] = [];
    void lane.run(
      'bad',
      async () => {
        throw new Error('boom');
      },
      'again',
    );
    await lane.run('good', async () => ran.push('good'), 'again');
    expect(ran).toEqual(['good']);
    expect(errors).toEqual([expect.objectContaining({ job: 'bad' })]);
  });

  it('runs beforeEach and afterEach around every job, a failed one included', async () => {
    const order: string[] = [];
    const lane = createLane({
      log: silentLogger(),
      beforeEach: () => order.push('before'),
      afterEach: () => order.push('after'),
    });
    void lane.run(
      'bad',
      async () => {
        order.push('bad');
        throw new Error('boom');
      },
      'again',
    );
    await lane.run('good', async () => order.push('good'), 'again');
    expect(order).toEqual(['before', 'bad', 'after', 'before', 'good', 'after']);
  });
});

describe('coalesced', () => {
  it('answers calls during a run with exactly one more run', async () => {
    let runs = 0;
    let release!: () => void;
    const fn = coalesced(async () => {
      runs++;
      if (runs === 1) await new Promise<void>((r) => (release = r));
    });
    const a = fn();
    await tick();
    const b = fn();
    const c = fn();
    expect(b).toBe(c);
    release();
    await Promise.all([a, b, c]);
    expect(runs).toBe(2);
  });
});

describe('createGitWatchers', () => {
  it('reports a commit, and after a switch to a branch with a slash, a move of that ref alone', async () => {
    const r = repo();
    const changed: string[] = [];
    const w = createGitWatchers({ log: silentLogger(), onChange: (root) => changed.push(root), settleMs: 20 });
    cleanups.push(() => w.close());
    w.follow([r.dir]);
    r.commit('three');
    await waitFor('the commit to be seen', () => changed.length > 0, 5000);
    git(r.dir, 'checkout', '-q', '-b', 'feature/x');
    w.retarget(r.dir);
    await tick(100);
    changed.length = 0;
    // Only refs/heads/feature/x moves: seen through the folder watched for this branch.
    git(r.dir, 'update-ref', 'refs/heads/feature/x', 'HEAD~1');
    await waitFor('the ref move to be seen', () => changed.length > 0, 5000);
    expect(changed).toEqual([r.dir]);
    expect(w.unwatched()).toEqual([]);
  });

  it('follows exactly the roots it is given, closing the watchers of a dropped one', () => {
    const r = repo();
    const open = new Set<FSWatcher>();
    const counting: WatchFn = (dir, onEvent) => {
      const watcher = watch(dir, { persistent: false }, (_e, name) => onEvent(name));
      open.add(watcher);
      const close = watcher.close.bind(watcher);
      watcher.close = () => {
        open.delete(watcher);
        close();
      };
      return watcher;
    };
    const w = createGitWatchers({ log: silentLogger(), onChange: () => undefined, watch: counting });
    cleanups.push(() => w.close());
    w.follow([r.dir]);
    expect(open.size).toBe(2);
    w.follow([]);
    expect(open.size).toBe(0);
  });
});

describe('watchChanges: the fallback poll', () => {
  let home: string;
  let cache: Cache;
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'th-watch-'));
    cache = openCache({ home });
    cleanups.push(() => {
      cache.close();
      rmSync(home, { recursive: true, force: true });
    });
  });

  function setup(watchFn?: WatchFn) {
    const read: string[] = [];
    const deps: RefreshDeps = {
      home,
      staleProjectDays: 14,
      cache,
      log: silentLogger(),
      env: { TASKHOOKS_HOME: home },
      refreshTasks: async () => {
        throw new Error('no fetch expected');
      },
      collectGitState: async (cwd, log) => {
        read.push(cwd);
        return collectGitState(cwd, log);
      },
    };
    const changes = watchChanges({ deps, lane: createLane({ log: deps.log }), ...(watchFn ? { watch: watchFn } : {}) });
    cleanups.push(() => void changes.close());
    return { changes, read };
  }

  it('reads the git state of a project whose metadata cannot be watched, and leaves watched ones to their watchers', async () => {
    const unwatchable = repo();
    const watched = repo();
    const refuse: WatchFn = (dir, onEvent) => {
      if (dir.startsWith(unwatchable.dir))
        throw Object.assign(new Error(`ENOSPC: System limit for number of file watchers reached, watch '${dir}'`), {
          code: 'ENOSPC',
        });
      return watch(dir, { persistent: false }, (_e, name) => onEvent(name));
    };
    for (const r of [unwatchable, watched])
      registerProject(cache, { root: r.dir, name: path.basename(r.dir), sourceKey: 'k', registeredBy: 'test' });
    const { changes, read } = setup(refuse);
    changes.followProjects();
    await changes.pollUnwatched();
    expect(read).toEqual([unwatchable.dir]);
    expect(readGitState(cache, unwatchable.dir)?.state.commits[0]?.subject).toBe('two');
    expect(readGitState(cache, watched.dir)).toBeUndefined();

    // Dropped from the registry: neither polled nor watched any more.
    unregisterProject(cache, unwatchable.dir);
    changes.followProjects();
    read.length = 0;
    await changes.pollUnwatched();
    expect(read).toEqual([]);
  });
});

describe('the task cycle and a project registered while it runs', () => {
  it('fetches that project at the end of the cycle: the wake its registration asked for finds nothing new', async () => {
    const source = 'http://127.0.0.1:9/mcp';
    const { home, cleanup } = tempHome({
      source: { servers: [source] },
      monitor: { hookPort: 0, taskSchedule: '0 0 1 1 *', gitSchedule: '0 0 1 1 *' },
    });
    cleanups.push(cleanup);
    const env = hookEnv(home);
    const root = (name: string): string => {
      const dir = path.join(home, 'projects', name);
      mkdirSync(dir, { recursive: true });
      return dir;
    };
    const register = (name: string) =>
      withHomeCache(home, (s) =>
        registerProject(s, { root: root(name), name, sourceKey: source, registeredBy: 'test' }),
      );
    register('first');

    const fetched: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const refreshTasks: RefreshTasksFn = async ({ scope, cache: s, source: src }) => {
      fetched.push(scope.project);
      if (scope.project === 'first') await gate;
      const snap: TaskSnapshot = {
        sourceKey: src.key,
        project: scope.project,
        branch: scope.branch,
        fetchedAt: Date.now(),
        source: src.key,
        tasks: [],
        next: null,
      };
      s.write(() => writeSnapshot(s, snap));
      return snap;
    };
    const { settings } = await loadSettings({ cwd: home, env });
    const result = await startMonitor({
      settings,
      env,
      services: {
        refreshTasks,
        collectGitState: async () => null,
        runHook: async () => null,
        startStoreServer: async () => {
          throw new Error('no store server in this test');
        },
      },
    });
    if (!result.started) throw new Error('the monitor did not start');
    const { monitor } = result;
    cleanups.push(() => void monitor.stop());

    await waitFor('the start-up cycle to fetch the first project', () => fetched.includes('first'), 5000);
    register('second');
    requestRefresh(home);
    release();
    await monitor.refreshNow(); // joins the cycle in flight
    expect(fetched).toEqual(['first', 'second']);
    // The wake that registration asked for runs after the cycle (once the signal settles): it fetches nothing again.
    await tick(300);
    await monitor.stop();
    expect(fetched).toEqual(['first', 'second']);
  });
});
