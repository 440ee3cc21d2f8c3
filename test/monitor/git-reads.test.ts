// The monitor runs git only where what it learns could differ: not again for a repository read moments ago whose HEAD,
// index and branch ref are unchanged, and not to list branches where every snapshot is of the branch checked out.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openCache, type Cache } from '../../src/cache/cache.js';
import { registerProject } from '../../src/cache/registered-projects.js';
import { readSnapshot, writeSnapshot } from '../../src/cache/snapshots.js';
import { collectGitState } from '../../src/git/state.js';
import { refreshGitState } from '../../src/monitor/refresh/git-reads.js';
import type { RefreshDeps } from '../../src/monitor/refresh/refresh.js';
import { pruneIfDue } from '../../src/monitor/upkeep/prune.js';
import { silentLogger } from '../helpers/cache.js';
import { git } from '../helpers/git.js';
import { tempHome } from '../helpers/hooks.js';
import { makeRepoFor } from './fixtures.js';

const listed = vi.hoisted((): string[] => []);
vi.mock('../../src/git/state.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/git/state.js')>();
  return {
    ...real,
    listLocalBranches: (...args: Parameters<typeof real.listLocalBranches>) => {
      listed.push(args[0]);
      return real.listLocalBranches(...args);
    },
  };
});

const cleanups: Array<() => void> = [];
afterEach(() => {
  listed.length = 0;
  for (const c of cleanups.splice(0).reverse()) c();
});

const HOUR = 3_600_000;

function setup(): { cache: Cache; dir: string; deps: RefreshDeps & { clock: { now: number } }; reads: string[] } {
  const t = tempHome();
  cleanups.push(t.cleanup);
  const repo = makeRepoFor('shop');
  cleanups.push(repo.cleanup);
  const cache = openCache({ home: t.home });
  cleanups.push(() => cache.close());
  registerProject(cache, { root: repo.dir, name: 'shop', sourceKey: 'src', registeredBy: 'test' });
  const reads: string[] = [];
  const clock = { now: Date.now() };
  const deps = {
    home: t.home,
    staleProjectDays: 14,
    cache,
    log: silentLogger(),
    env: {},
    refreshTasks: () => Promise.reject(new Error('no fetch here')),
    collectGitState: (cwd: string) => {
      reads.push(cwd);
      return collectGitState(cwd);
    },
    now: () => clock.now,
    clock,
  };
  return { cache, dir: repo.dir, deps, reads };
}

describe("the monitor's git state", () => {
  it('is not read again within seconds while HEAD, the index and the branch ref are as they were', async () => {
    const { dir, deps, reads } = setup();
    await refreshGitState(deps, dir);
    deps.clock.now += 5000;
    expect((await refreshGitState(deps, dir))?.branch).toBe('main');
    expect(reads).toHaveLength(1);
    // Staged: the index moved.
    writeFileSync(path.join(dir, 'new.txt'), 'x');
    git(dir, 'add', 'new.txt');
    expect((await refreshGitState(deps, dir))?.staged).toBe(1);
    expect(reads).toHaveLength(2);
    // Edits the stamp cannot see are read by the next cycle, seconds later.
    deps.clock.now += 11_000;
    await refreshGitState(deps, dir);
    expect(reads).toHaveLength(3);
  });
});

describe("the monitor's pruning", () => {
  function snap(cache: Cache, branch: string): void {
    cache.write(() =>
      writeSnapshot(cache, {
        ...{ sourceKey: 'src', project: 'shop', branch, fetchedAt: Date.now() },
        ...{ source: 'src', tasks: [], next: null },
      }),
    );
  }

  it('lists no branches where every snapshot is of the branch checked out, and lists them for another', async () => {
    const { cache, dir, deps } = setup();
    snap(cache, 'main');
    snap(cache, '');
    expect(await pruneIfDue(deps)).toBeDefined();
    expect(listed).toEqual([]);
    expect(readSnapshot(cache, { sourceKey: 'src', project: 'shop', branch: 'main' })).toBeDefined();

    // A snapshot of a branch since deleted: git is asked, and it goes.
    snap(cache, 'gone');
    deps.clock.now += 7 * HOUR;
    expect(await pruneIfDue(deps)).toBeDefined();
    expect(listed).toEqual([dir]);
    expect(readSnapshot(cache, { sourceKey: 'src', project: 'shop', branch: 'gone' })).toBeUndefined();
    expect(readSnapshot(cache, { sourceKey: 'src', project: 'shop', branch: 'main' })).toBeDefined();
  });
});
