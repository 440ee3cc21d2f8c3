// The push guard against what an earlier tool call left: push settings in the repository's config (a remote's push
// refspecs or mirror, push.default with an upstream, a branch's push remote, an include), read as git reads them and
// checked against what git really pushes to a bare remote. Beside them, the bounds that keep a line of wrappers cheap,
// and the readers of those settings and of the commands that move HEAD, unit by unit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { git, makeRepo } from '../helpers/git.js';
import { gitInvocations } from '../../src/hooks/guards/bash.js';
import { headsAt, Walk } from '../../src/hooks/guards/branch-at.js';
import { evaluateGuards } from '../../src/hooks/guards/guards.js';
import { cloneFolder } from '../../src/hooks/guards/head-moves.js';
import { ConfigSyntaxError, parseConfig, PushConfig, readPushConfig } from '../../src/hooks/guards/push-config.js';
import { readGitCall } from '../../src/hooks/guards/watched.js';

const guards = { protectedPaths: [], protectedBranches: ['main'], requireActiveTask: 'off' as const };

/** The guard's verdict on `command` run in `cwd` (a clone on branch `feature`). */
async function verdict(command: string, cwd: string, branch = 'feature'): Promise<string> {
  const call = await readGitCall(command);
  const args = { guards, root: cwd, cwd, branch, inProgress: undefined, next: undefined };
  return call ? (evaluateGuards({ ...args, call })?.decision ?? 'pass') : 'pass';
}

describe('push settings an earlier call left in the repository (protectedBranches ["main"], on feature)', () => {
  let tmp: string;
  let remote: string;
  let n = 0;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'th-push-settings-'));
    remote = path.join(tmp, 'remote.git');
    git(tmp, 'init', '-q', '--bare', '-b', 'main', remote);
    const seed = path.join(tmp, 'seed');
    git(tmp, 'clone', '-q', remote, seed);
    git(seed, 'commit', '-q', '--allow-empty', '-m', 'first');
    git(seed, 'push', '-q', 'origin', 'main');
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /** A fresh clone on `feature`, one commit ahead of main, with `config` set as an earlier call would. */
  const clone = (...config: Array<[string, string]>): string => {
    const dir = path.join(tmp, `clone${n++}`);
    git(tmp, 'clone', '-q', remote, dir);
    git(dir, 'checkout', '-q', '-b', 'feature');
    git(dir, 'commit', '-q', '--allow-empty', '-m', 'work');
    for (const [key, value] of config) git(dir, 'config', '--add', key, value);
    return dir;
  };
  const remoteMain = (): string => git(remote, 'rev-parse', 'main').trim();
  /** Runs the push for real: whether it moved the remote's main. */
  const movesMain = (dir: string, ...args: string[]): boolean => {
    const before = remoteMain();
    try {
      git(dir, 'push', '-q', ...args);
    } catch {
      // refused by git itself: nothing moved
    }
    const moved = remoteMain() !== before;
    if (moved) git(dir, 'push', '-q', '-f', 'origin', `${before}:refs/heads/main`);
    return moved;
  };

  it('refuses a push that remote.origin.push maps onto main, as git does', async () => {
    const dir = clone(['remote.origin.push', 'HEAD:refs/heads/main']);
    expect(await verdict('git push', dir)).toBe('deny');
    expect(await verdict('git push origin', dir)).toBe('deny');
    expect(movesMain(dir)).toBe(true);
    // A refspec that names its destination is read as written; HEAD is mapped no further, as git maps it.
    expect(await verdict('git push origin feature:feature', dir)).toBe('pass');
    expect(await verdict('git push origin HEAD', dir)).toBe('pass');
    expect(movesMain(dir, 'origin', 'HEAD')).toBe(false);
  });

  it('refuses a branch mapped by a pattern refspec, and one pushed to its upstream main', async () => {
    const mapped = clone(['remote.origin.push', 'refs/heads/feature:refs/heads/main']);
    expect(await verdict('git push origin feature', mapped)).toBe('deny');
    expect(movesMain(mapped, 'origin', 'feature')).toBe(true);
    const upstream = clone(
      ['push.default', 'upstream'],
      ['branch.feature.remote', 'origin'],
      ['branch.feature.merge', 'refs/heads/main'],
    );
    expect(await verdict('git push', upstream)).toBe('deny');
    expect(await verdict('git push origin feature', upstream)).toBe('deny');
    expect(movesMain(upstream)).toBe(true);
    expect(movesMain(upstream, 'origin', 'feature')).toBe(true);
    // The upstream without push.default=upstream: `simple` pushes feature (or refuses), never main.
    const simple = clone(['branch.feature.merge', 'refs/heads/main'], ['branch.feature.remote', 'origin']);
    expect(await verdict('git push origin feature', simple)).toBe('pass');
    expect(movesMain(simple, 'origin', 'feature')).toBe(false);
  });

  it('refuses a mirror, matching, and a push remote whose refspec goes to main', async () => {
    const mirror = clone(['remote.origin.mirror', 'true']);
    expect(await verdict('git push', mirror)).toBe('deny');
    const matching = clone(['push.default', 'matching']);
    expect(await verdict('git push', matching)).toBe('deny');
    const pushRemote = clone(
      ['remote.up.url', remote],
      ['remote.up.push', 'HEAD:refs/heads/main'],
      ['branch.feature.pushRemote', 'up'],
    );
    expect(await verdict('git push', pushRemote)).toBe('deny');
    expect(movesMain(pushRemote)).toBe(true);
    expect(await verdict('git push origin', pushRemote)).toBe('pass');
  });

  it('follows includes, weighs a conditional one both ways, and asks where it cannot read the config', async () => {
    // Relative to the folder of the file that includes it: .git/.
    const included = clone(['include.path', '../../pushes.inc']);
    writeFileSync(path.join(tmp, 'pushes.inc'), '[remote "origin"]\n\tpush = HEAD:refs/heads/main\n');
    expect(await verdict('git push', included)).toBe('deny');
    expect(movesMain(included)).toBe(true);
    const conditional = clone(['includeIf.onbranch:feature.path', '../../pushes.inc']);
    expect(await verdict('git push', conditional)).toBe('deny');
    // A config line git would refuse, and an include that is a folder: asked about.
    const broken = clone();
    writeFileSync(path.join(broken, '.git', 'config'), '[core]\n\tbare = false\n[remote "origin"\n');
    expect(await verdict('git push', broken)).toBe('ask');
    expect(await verdict('git push origin feature', broken)).toBe('ask');
    const folder = clone(['include.path', '../']);
    expect(await verdict('git push', folder)).toBe('ask');
    // A refspec that names its destination needs no config.
    expect(await verdict('git push origin feature:feature', broken)).toBe('pass');
  });

  it('lets the everyday pushes through', async () => {
    const plain = clone(['branch.feature.remote', 'origin'], ['branch.feature.merge', 'refs/heads/feature']);
    for (const command of ['git push', 'git push -u origin HEAD', 'git push origin feature', 'git push origin'])
      expect([command, await verdict(command, plain)]).toEqual([command, 'pass']);
    // A worktree the line adds shares its repository's settings.
    const shared = clone(['remote.origin.push', 'HEAD:refs/heads/main']);
    expect(await verdict('git worktree add -b topic ../wt-shared && cd ../wt-shared && git push', shared)).toBe('deny');
    expect(await verdict('git worktree add -b topic ../wt-shared && cd ../wt-shared && git push', plain)).toBe('pass');
  });
});

describe('a line of many wrappers', () => {
  // Its time is measured by bench/guard.bench.mjs, which holds this line among the worst: no clock in a test.
  it('is asked about past 8 levels, however many there are', async () => {
    const line = `${'env '.repeat(16242)}git push origin main`;
    expect(gitInvocations(line)).toEqual([{ subcommand: null, args: [], uncertain: true }]);
    expect(await verdict(line, '/')).toBe('ask');
    expect(gitInvocations(`${'sudo '.repeat(5000)}git push origin main`)[0]?.subcommand).toBeNull();
    // Within the bound, wrappers are read through as before.
    expect(await verdict(`${'env '.repeat(7)}git push origin main`, '/')).toBe('deny');
    expect(await verdict(`${'coproc '.repeat(12)}git push origin main`, '/')).toBe('ask');
  });
});

describe('the readers', () => {
  it('parse a config file as git does', () => {
    const text = [
      '# comment',
      '[remote "Up Stream"] push = +refs/heads/*:refs/heads/x/* ; trailing',
      '\tpush = "HEAD:refs/heads/ma\\',
      'in"',
      '[Branch.Feature]',
      '  MERGE',
      '[push]',
      '\tdefault = upstream # why',
      '[core]',
      '\tbare = false',
    ].join('\n');
    expect(parseConfig(text)).toEqual([
      { key: 'remote.Up Stream.push', value: '+refs/heads/*:refs/heads/x/*' },
      { key: 'remote.Up Stream.push', value: 'HEAD:refs/heads/main' },
      { key: 'branch.feature.merge', value: null },
      { key: 'push.default', value: 'upstream' },
    ]);
    for (const bad of ['[remote "x"\n', 'key = 1\n', '[a]\nb = "open\n', '[a]\nb = \\q\n', '[a]\n= 1\n'])
      expect(() => parseConfig(bad)).toThrow(ConfigSyntaxError);
  });

  it('weigh a conditional value with the one before it', () => {
    const config = new PushConfig([
      { key: 'push.default', value: 'simple' },
      { key: 'push.default', value: 'upstream', maybe: true },
      { key: 'branch.feature.merge', value: 'refs/heads/main' },
    ]);
    expect(config.values('push.default')).toEqual(['upstream', 'simple']);
    expect(config.configured(undefined, 'feature')).toEqual({
      branches: ['main', 'feature'],
      all: false,
      unknown: false,
    });
    expect(config.mapped('origin', 'feature')).toEqual(['main', 'feature']);
    expect(new PushConfig([]).configured(undefined, null)).toEqual({ branches: [], all: false, unknown: false });
  });

  it('read the files of a repository with the system and user ones as the environment names them', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'th-push-config-'));
    try {
      const gitDir = path.join(dir, 'repo.git');
      mkdirSync(gitDir);
      writeFileSync(path.join(gitDir, 'config'), '[branch "feature"]\n\tmerge = refs/heads/main\n');
      writeFileSync(path.join(dir, 'global'), '[push]\n\tdefault = upstream\n');
      const env = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: path.join(dir, 'global') };
      let spent = 0;
      const config = readPushConfig(gitDir, gitDir, (bytes) => void (spent += bytes), env);
      expect(config.configured(undefined, 'feature').branches).toEqual(['main']);
      expect(spent).toBeGreaterThan(0);
      writeFileSync(path.join(dir, 'global'), '[include]\n\tpath = /dev/zero\n');
      expect(() => readPushConfig(gitDir, gitDir, () => {}, env)).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('name the folder a clone makes as git does', () => {
    expect(cloneFolder('../remote.git')).toBe('remote');
    expect(cloneFolder('https://example.com/acme/shop.git/')).toBe('shop');
    expect(cloneFolder('git@example.com:acme/shop')).toBe('shop');
    expect(cloneFolder('/srv/repo/.git')).toBe('repo');
    expect(cloneFolder('x.bundle')).toBe('x');
  });

  it('follow the commands that move HEAD to where the push runs', () => {
    const at = (command: string) => gitInvocations(command).findLast((g) => g.subcommand === 'push')?.at;
    expect(at('git branch -M main && git push')?.checkouts).toEqual([{ dir: '', branch: 'main' }]);
    expect(at('git branch -m a b && git push')?.checkouts).toEqual([{ dir: '', branch: 'b', maybe: true }]);
    expect(at('git -C o symbolic-ref HEAD refs/heads/x && git push')?.checkouts).toEqual([{ dir: 'o', branch: 'x' }]);
    expect(at('git symbolic-ref HEAD refs/tags/v1 && git push')?.checkouts).toEqual([{ dir: '', branch: null }]);
    expect(at('git stash branch wip stash@{1} && git push')?.checkouts).toEqual([{ dir: '', branch: 'wip' }]);
    expect(at('git rebase -s ours --onto a b c && git push')?.checkouts).toEqual([{ dir: '', branch: 'c' }]);
    expect(at('git update-ref --no-deref -d HEAD && git push')?.checkouts).toEqual([{ dir: '', branch: null }]);
    expect(at('git bisect start && git push')?.checkouts).toEqual([{ dir: '', branch: null }]);
    expect(at('git clone --depth 1 -b main u d && git push')?.worktrees).toEqual([{ dir: 'd', branch: null }]);
    expect(at('git clone --bare ../r.git && git push')?.worktrees).toEqual([{ dir: 'r.git', branch: null }]);
    expect(at('git init -b main && git push')?.worktrees).toEqual([{ dir: '', branch: null }]);
    for (const still of ['git branch -c x && git push', 'git rebase main && git push', 'git stash && git push'])
      expect([still, at(still)]).toEqual([still, undefined]);
    const repo = makeRepo();
    try {
      const renamed = at('git branch -m feature main && git push');
      expect(headsAt(renamed, 'feature', repo.dir, new Walk())).toEqual(['main', 'feature']);
      expect(headsAt(at('git branch -m main && git push'), 'feature', repo.dir, new Walk())).toEqual(['main']);
      // A folder not made yet is no folder of the repository above it.
      expect(headsAt(at('cd nd && git push'), 'feature', repo.dir, new Walk())).toEqual([undefined]);
      expect(headsAt(at('git -C . push'), 'feature', repo.dir, new Walk())).toEqual(['feature']);
    } finally {
      repo.cleanup();
    }
  });
});
