// Git's own output read without git: porcelain v2 status and the log's fields.
import { describe, expect, it } from 'vitest';
import { parseLog, parsePorcelainV2 } from '../../src/git/state.js';

describe('git parsing', () => {
  it('counts porcelain v2 entries', () => {
    const text = [
      '# branch.oid abc',
      '# branch.head feature/x',
      '# branch.upstream origin/feature/x',
      '# branch.ab +2 -1',
      '1 M. N... 100644 100644 100644 a b src/staged.ts',
      '1 .M N... 100644 100644 100644 a b src/modified.ts',
      '1 MM N... 100644 100644 100644 a b src/both.ts',
      '2 R. N... 100644 100644 100644 a b R100 new.ts\told.ts',
      'u UU N... 100644 100644 100644 100644 a b c conflict.ts',
      '? untracked.ts',
      '! ignored.ts',
    ].join('\n');
    expect(parsePorcelainV2('/r', text)).toEqual({
      repo: '/r',
      branch: 'feature/x',
      detached: false,
      upstream: 'origin/feature/x',
      ahead: 2,
      behind: 1,
      staged: 3,
      modified: 2,
      untracked: 1,
      conflicted: 1,
    });
    expect(parsePorcelainV2('/r', '# branch.oid abc\n# branch.head (detached)\n')).toMatchObject({
      branch: null,
      detached: true,
    });
    expect(parseLog('abc1234\u001f1700000000\u001ffix: it\n')).toEqual([
      { hash: 'abc1234', subject: 'fix: it', committedAt: 1_700_000_000_000 },
    ]);
  });
});
