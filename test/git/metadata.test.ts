// What the git state depends on, read without git: real repositories, a linked worktree and a submodule in temp dirs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/cache.js';
import { renderContext } from '../../src/context/render.js';
import { gitWatchTargets, readRepoStamp } from '../../src/git/metadata.js';
import { gitDirs, readHeadBranch } from '../../src/git/repo.js';
import { collectGitState } from '../../src/git/state.js';
import { currentGitState } from '../../src/hooks/events/git-context.js';
import { git, gitWith, makeRepo, type TempRepo } from '../helpers/git.js';
import { silentLogger } from '../helpers/cache.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function repo(opts: Parameters<typeof makeRepo>[0] = {}): TempRepo {
  const r = makeRepo(opts);
  cleanups.push(r.cleanup);
  return r;
}

describe('readRepoStamp', () => {
  it('changes with a commit, a checkout and staging, and not when the state is read', async () => {
    const r = repo({ commits: ['one'] });
    const stamps = [readRepoStamp(r.dir)];
    // Reading runs git without optional locks: it never rewrites the index, so it never invalidates itself.
    expect((await collectGitState(r.dir))?.stamp).toBe(stamps[0]);
    expect(readRepoStamp(r.dir)).toBe(stamps[0]);
    r.commit('two');
    stamps.push(readRepoStamp(r.dir));
    git(r.dir, 'checkout', '-q', '-b', 'feature');
    stamps.push(readRepoStamp(r.dir));
    writeFileSync(path.join(r.dir, 'staged.txt'), 'x');
    git(r.dir, 'add', 'staged.txt');
    stamps.push(readRepoStamp(r.dir));
    git(r.dir, 'checkout', '-q', '--detach');
    stamps.push(readRepoStamp(r.dir));
    expect(new Set(stamps).size).toBe(stamps.length);
  });

  it('follows a branch whose ref is packed: a commit after `git pack-refs` still changes it', () => {
    const r = repo({ commits: ['one'] });
    git(r.dir, 'pack-refs', '--all');
    const before = readRepoStamp(r.dir);
    r.commit('two');
    expect(readRepoStamp(r.dir)).not.toBe(before);
  });

  it('is undefined outside a repository', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'th-norepo-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    expect(readRepoStamp(dir)).toBeUndefined();
    expect(gitWatchTargets(dir)).toBeUndefined();
  });
});

describe('gitWatchTargets', () => {
  it('a plain repository: .git for HEAD, index and packed-refs, refs/heads, and the folder of a nested branch', () => {
    const r = repo();
    const dotGit = path.join(r.dir, '.git');
    expect(gitWatchTargets(r.dir)).toEqual([
      { dir: dotGit, names: ['HEAD', 'index', 'packed-refs'] },
      { dir: path.join(dotGit, 'refs/heads') },
    ]);
    git(r.dir, 'checkout', '-q', '-b', 'feature/login');
    expect(gitWatchTargets(r.dir)).toContainEqual({ dir: path.join(dotGit, 'refs/heads/feature') });
  });

  it("a linked worktree: HEAD and index in its own gitdir, refs in the main repository's", () => {
    const r = repo();
    const wt = path.join(path.dirname(r.dir), 'wt');
    git(r.dir, 'worktree', 'add', '-q', '-b', 'side', wt);
    const { gitDir, commonDir } = gitDirs(wt);
    expect(commonDir).toBe(path.join(r.dir, '.git'));
    expect(gitDir).toBe(path.join(r.dir, '.git/worktrees/wt'));
    expect(gitWatchTargets(wt)).toEqual([
      { dir: gitDir, names: ['HEAD', 'index'] },
      { dir: commonDir, names: ['packed-refs'] },
      { dir: path.join(commonDir, 'refs/heads') },
    ]);
    expect(readHeadBranch(wt)).toBe('side');
    // A commit in the worktree moves its branch's ref in the common dir: the stamp sees it.
    const before = readRepoStamp(wt);
    writeFileSync(path.join(wt, 'w.txt'), 'w');
    git(wt, 'add', 'w.txt');
    git(wt, 'commit', '-q', '-m', 'in the worktree');
    expect(readRepoStamp(wt)).not.toBe(before);
  });

  it("a submodule: everything in the superproject's .git/modules folder", () => {
    const sub = repo({ name: 'lib' });
    const sup = repo({ name: 'app' });
    git(sup.dir, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub.dir, 'lib');
    const inner = path.join(sup.dir, 'lib');
    const modules = path.join(sup.dir, '.git/modules/lib');
    expect(gitDirs(inner)).toEqual({ gitDir: modules, commonDir: modules });
    expect(gitWatchTargets(inner)?.[0]).toEqual({ dir: modules, names: ['HEAD', 'index', 'packed-refs'] });
  });
});

describe('currentGitState (SessionStart)', () => {
  function tempCache() {
    const home = mkdtempSync(path.join(os.tmpdir(), 'th-gitctx-'));
    const cache = openCache({ home });
    cleanups.push(() => {
      cache.close();
      rmSync(home, { recursive: true, force: true });
    });
    return cache;
  }
  const HOUR = 3_600_000;

  it('trusts the cached state within the TTL only while HEAD, the index and the branch ref are unchanged', async () => {
    const r = repo({ commits: ['one'] });
    const cache = tempCache();
    const read = () => currentGitState({ cache, repo: r.dir, ttlMs: HOUR, now: Date.now(), log: silentLogger() });
    expect((await read()).cached).toBe(false);
    expect((await read()).cached).toBe(true);
    r.commit('two');
    const afterCommit = await read();
    expect(afterCommit).toMatchObject({
      cached: false,
      state: { commits: [expect.objectContaining({ subject: 'two' }), expect.anything()] },
    });
    expect((await read()).cached).toBe(true);
    writeFileSync(path.join(r.dir, 'new.txt'), 'n');
    git(r.dir, 'add', 'new.txt');
    expect(await read()).toMatchObject({ cached: false, state: { staged: 1 } });
    git(r.dir, 'checkout', '-q', '-b', 'feature');
    expect(await read()).toMatchObject({ cached: false, state: { branch: 'feature' } });
  });

  it('reads afresh over a row cached before commit times and stamps were stored', async () => {
    const r = repo({ commits: ['one'] });
    const cache = tempCache();
    const old = {
      ...(await collectGitState(r.dir)),
      commits: [{ hash: 'abc1234', subject: 'one', relative: '2 hours ago' }],
    } as Record<string, unknown>;
    delete old.stamp;
    cache.db
      .prepare('INSERT INTO git_state (repo, state, fetched_at) VALUES (?, ?, ?)')
      .run(r.dir, JSON.stringify(old), Date.now());
    const got = await currentGitState({ cache, repo: r.dir, ttlMs: HOUR, now: Date.now(), log: silentLogger() });
    expect(got.cached).toBe(false);
    expect(got.state?.commits[0]).toEqual({
      hash: expect.any(String),
      subject: 'one',
      committedAt: expect.any(Number),
    });
  });

  it("stores each commit's committer time, from which a later render counts the age", async () => {
    const r = repo({ commits: [] });
    const past = Date.UTC(2024, 0, 15, 12, 0, 0);
    writeFileSync(path.join(r.dir, 'a.txt'), 'a');
    git(r.dir, 'add', 'a.txt');
    gitWith({ GIT_COMMITTER_DATE: new Date(past).toISOString() }, r.dir, 'commit', '-q', '-m', 'long ago');
    const state = await collectGitState(r.dir);
    expect(state?.commits).toEqual([{ hash: expect.any(String), subject: 'long ago', committedAt: past }]);
    const render = (now: number) =>
      renderContext({
        scope: { projectRoot: r.dir, project: 'demo', branch: 'main' },
        snapshot: undefined,
        freshness: { kind: 'none' },
        git: state,
        alerts: [],
        maxPending: 5,
        budget: 4000,
        now,
      }).text;
    expect(render(past + 3 * HOUR)).toMatch(/long ago \(3 hours ago\)$/);
    expect(render(past + 400 * 24 * HOUR)).toMatch(/long ago \(1 year, 1 month ago\)$/);
  });
});
