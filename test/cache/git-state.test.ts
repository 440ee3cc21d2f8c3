import { expect, it } from 'vitest';
import { readGitState, writeGitState } from '../../src/cache/git-state.js';
import type { GitState } from '../../src/git/state.js';

import { cacheEachTest, T0 } from '../helpers/cache.js';

const { open } = cacheEachTest();

it('git state per repository', () => {
  const s = open();
  const state: GitState = {
    repo: '/r',
    branch: 'main',
    detached: false,
    upstream: 'origin/main',
    ahead: 1,
    behind: 2,
    staged: 3,
    modified: 4,
    untracked: 5,
    conflicted: 0,
    commits: [{ hash: 'abc1234', subject: 'Fix it', committedAt: T0 - 7_200_000 }],
  };
  s.write(() => writeGitState(s, state, T0));
  expect(readGitState(s, '/r')).toEqual({ state, fetchedAt: T0 });
  expect(readGitState(s, '/other')).toBeUndefined();
});
