// Which project and branch a directory is about, read from real repositories without spawning git.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateScope, resolveScope } from '../../src/tasks/scope.js';
import { git, makeRepo, type TempRepo } from '../helpers/git.js';

let repo: TempRepo;
let outside: string;
let linked: string;

beforeAll(() => {
  repo = makeRepo({ name: 'shop', branch: 'main' });
  linked = path.join(path.dirname(repo.dir), 'shop-feature');
  git(repo.dir, 'worktree', 'add', '-q', '-b', 'feature/cart', linked);
  outside = mkdtempSync(path.join(os.tmpdir(), 'th-scope-'));
});

afterAll(() => {
  repo?.cleanup();
  if (outside) rmSync(outside, { recursive: true, force: true });
});

describe('locateScope', () => {
  it("names the project after the repository's folder and reads the branch from HEAD, from any subfolder", () => {
    const sub = path.join(repo.dir, 'src', 'deep');
    mkdirSync(sub, { recursive: true });
    expect(locateScope(undefined, sub)).toEqual({
      scope: { projectRoot: repo.dir, project: 'shop', branch: 'main' },
      gitRoot: repo.dir,
    });
  });

  it('names a linked worktree after its main worktree, on its own branch', () => {
    expect(locateScope(undefined, linked).scope).toEqual({
      projectRoot: linked,
      project: 'shop',
      branch: 'feature/cart',
    });
  });

  it('takes the configured name over the folder, and a detached HEAD as no branch', () => {
    git(repo.dir, 'checkout', '-q', '--detach');
    try {
      expect(locateScope('storefront', repo.dir).scope).toEqual({
        projectRoot: repo.dir,
        project: 'storefront',
        branch: '',
      });
    } finally {
      git(repo.dir, 'checkout', '-q', 'main');
    }
  });

  it('outside git: the directory itself, no branch, no git root', () => {
    expect(locateScope(undefined, outside)).toEqual({
      scope: { projectRoot: path.resolve(outside), project: path.basename(outside), branch: '' },
      gitRoot: undefined,
    });
  });
});

describe('resolveScope', () => {
  it('keeps the root it is handed and turns a missing branch into the empty one', () => {
    expect(resolveScope(undefined, outside, null)).toEqual({
      projectRoot: outside,
      project: path.basename(outside),
      branch: '',
    });
    expect(resolveScope('named', linked, 'x')).toEqual({ projectRoot: linked, project: 'named', branch: 'x' });
  });
});
