// Real git repositories in temp dirs, with commits and branches, for the hooks to read.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GitState } from '../../src/git/state.js';

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};

export function git(dir: string, ...args: string[]): string {
  return gitWith({}, dir, ...args);
}

/** git as `git` runs it, with `env` on top (a committer date, say). */
export function gitWith(env: Record<string, string>, dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    env: { ...process.env, ...GIT_ENV, HOME: dir, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface TempRepo {
  dir: string;
  commit(message: string, file?: string, content?: string): void;
  cleanup(): void;
}

/** A repository named `name` (the project name the hooks derive) on `branch`, with the given commits. */
export function makeRepo(opts: { name?: string; branch?: string; commits?: string[] } = {}): TempRepo {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'th-repo-'));
  const dir = path.join(parent, opts.name ?? 'demo');
  mkdirSync(dir);
  git(dir, 'init', '-q', '-b', opts.branch ?? 'main');
  let n = 0;
  let made = 0;
  const repo: TempRepo = {
    dir,
    commit(message, file = `file${n++}.txt`, content = message) {
      writeFileSync(path.join(dir, file), content);
      git(dir, 'add', file);
      // A project is known by its first commit: two repositories made alike in one second would be one project, so
      // the first names its own folder in a body (never shown: taskhooks reads subjects).
      const body = made++ === 0 ? ['-m', `made in ${path.basename(parent)}`] : [];
      git(dir, 'commit', '-q', '-m', message, ...body);
    },
    cleanup: () => rmSync(parent, { recursive: true, force: true }),
  };
  for (const m of opts.commits ?? ['initial commit']) repo.commit(m);
  return repo;
}

/** A `git` that never answers, first on PATH: for proving a hanging git cannot stall a hook. */
export function hangingGitPath(): { path: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-fakegit-'));
  const file = path.join(dir, 'git');
  writeFileSync(file, '#!/bin/sh\nexec sleep 30\n');
  chmodSync(file, 0o755);
  return {
    path: `${dir}${path.delimiter}${process.env.PATH ?? ''}`,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A repository's state with nothing to tell (on `main` of `/r`, clean, no upstream), with `over` laid on it. */
export function cleanGitState(over: Partial<GitState> = {}): GitState {
  return {
    repo: '/r',
    branch: 'main',
    detached: false,
    upstream: null,
    ahead: 0,
    behind: 0,
    staged: 0,
    modified: 0,
    untracked: 0,
    conflicted: 0,
    commits: [],
    ...over,
  };
}

/** A bare `origin` for `dir`, made beside `parent`'s other files; `main` pushed to it unless `push` is false. */
export function bareOrigin(dir: string, parent: string, push = true): { remote: string; main: () => string } {
  const remote = path.join(parent, 'remote.git');
  git(parent, 'init', '-q', '--bare', remote);
  git(dir, 'remote', 'add', 'origin', remote);
  if (push) git(dir, 'push', '-q', '-u', 'origin', 'HEAD:refs/heads/main');
  return { remote, main: () => git(remote, 'rev-parse', 'refs/heads/main').trim() };
}

/**
 * On a branch `feature` of `dir` with a file `a`, a 23 KB line that ends in a push of main: `git checkout :/a`
 * restores the file from any folder and may be a branch :/a to a guard, which weighs both at each; each `cd w` goes a
 * folder deeper, so the line runs to its push when nothing stops it. A guard walking it in cubic time answered after
 * the agents' hook timeouts, which then ran the command.
 */
export function longPushChain(dir: string, depth = 800): string {
  git(dir, 'checkout', '-q', '-b', 'feature');
  writeFileSync(path.join(dir, 'a'), 'a');
  git(dir, 'add', 'a');
  git(dir, 'commit', '-q', '-m', 'feature work');
  mkdirSync(path.join(dir, ...Array.from({ length: depth }, () => 'w')), { recursive: true });
  return `${'git checkout -q :/a && cd w && '.repeat(depth)}git push -q origin HEAD:main`;
}
