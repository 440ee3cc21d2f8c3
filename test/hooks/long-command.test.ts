// The push guard's reading is bounded, so that one command cannot hold the monitor, which serves every session's
// hooks: a command past what the reader reads is asked about when it names git, a long heredoc no shell reads is set
// aside and costs nothing, and a line of many redirections is read in linear time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { WALK_STEPS } from '../../src/hooks/guards/branch-at.js';
import { gitInvocations, MAX_PARSED_CHARS } from '../../src/hooks/guards/bash.js';
import { evaluateGuards } from '../../src/hooks/guards/guards.js';
import { MAX_READ_CHARS } from '../../src/hooks/guards/prefilter.js';
import { readGitCall } from '../../src/hooks/guards/watched.js';
import { git, makeRepo, type TempRepo } from '../helpers/git.js';

const decided = async (command: string) => {
  const call = await readGitCall(command);
  const guards = { protectedPaths: [], protectedBranches: ['main'], requireActiveTask: 'off' as const };
  const args = { guards, root: '/nowhere', branch: 'feature', inProgress: undefined, next: undefined };
  return call ? evaluateGuards({ ...args, call }) : undefined;
};

describe('a long command', () => {
  it('is asked about past what the reader reads, when it names git', async () => {
    const huge = `echo "${'a'.repeat(20 * 1024 * 1024)}" && git push origin feature`;
    const verdict = await decided(huge);
    expect(verdict?.decision).toBe('ask');
    expect(verdict?.reason).toMatch(/^a command too long for the guard to read may push/);
    expect(gitInvocations(`echo "${'a'.repeat(MAX_READ_CHARS)}"`)).toEqual([]);
  });

  it('is asked about past the words the reader splits, which a line of redirections reached quadratically', async () => {
    const redirections = `${'a>b '.repeat(MAX_PARSED_CHARS / 4 + 1)}; git push origin feature`;
    expect(gitInvocations(redirections)).toEqual([{ subcommand: null, args: [], uncertain: true, long: true }]);
    expect((await decided(redirections))?.decision).toBe('ask');
    // Under the bound, many redirections are read as words as before.
    const fewer = `${'a 2>&1 '.repeat(1000)}; git push origin main`;
    expect((await decided(fewer))?.decision).toBe('deny');
  });

  it('keeps a long heredoc as data, and reads the push after it', async () => {
    const body = `${'x'.repeat(99)}\n`.repeat(5000);
    expect((await decided(`cat > notes.md <<'EOF'\n${body}EOF\ngit push origin main`))?.decision).toBe('deny');
    // (A destination spelled out: outside a repository no settings say where `feature` alone would go.)
    expect(await decided(`cat > notes.md <<'EOF'\n${body}EOF\ngit push origin HEAD:feature`)).toBeUndefined();
  });
});

describe('a line that moves HEAD or its folder many times, in a repository on feature', () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = makeRepo();
    git(repo.dir, 'checkout', '-q', '-b', 'feature');
    git(repo.dir, 'init', '-q', '-b', 'main', 'other');
    // `cd w` again and again stays in the repository: a folder that does not exist would be one the line makes.
    mkdirSync(path.join(repo.dir, ...Array.from({ length: 800 }, () => 'w')), { recursive: true });
  });
  afterAll(() => repo.cleanup());

  const inRepo = async (command: string) => {
    const call = await readGitCall(command);
    const guards = { protectedPaths: [], protectedBranches: ['main'], requireActiveTask: 'off' as const };
    const args = { guards, root: repo.dir, cwd: repo.dir, branch: 'feature', inProgress: undefined, next: undefined };
    return call ? evaluateGuards({ ...args, call }) : undefined;
  };

  it('is followed to its push when it repeats itself: 23 KB of checkouts and `cd`s are one state each', async () => {
    // `git checkout :/a` may restore a file or check out a branch: the guard weighs both, at each folder.
    const chain = `${'git checkout -q :/a && cd w && '.repeat(800)}git push origin HEAD:main`;
    expect(chain.length).toBeGreaterThan(23_000);
    expect((await inRepo(chain))?.reason).toMatch(/^git push to branch main is refused/);
    const toMain = `${'git checkout -q main && cd w && '.repeat(800)}git push origin HEAD`;
    expect((await inRepo(toMain))?.reason).toMatch(/^git push to branch main is refused/);
    // The same checkout again and again is one checkout: a push after each is read as many times, not more.
    const repeated = `${'git checkout x; git push origin HEAD; '.repeat(1500)}git checkout main; git push`;
    expect((await inRepo(repeated))?.reason).toMatch(/^git push to branch main is refused/);
  });

  it('is asked about, naming why, once following it would take more steps than the walk has', async () => {
    // Each push weighs every checkout before it, all of them in another repository.
    const n = Math.ceil(Math.sqrt(WALK_STEPS)) + 10;
    const checkouts = Array.from({ length: n }, (_, i) => `git -C other checkout -q b${i}`).join(' && ');
    const verdict = await inRepo(`${checkouts} && ${'git push origin HEAD; '.repeat(n)}`);
    expect(verdict?.decision).toBe('ask');
    expect(verdict?.reason).toMatch(
      new RegExp(
        `^a command that the line moves HEAD or its folder more than the guard follows in ${WALK_STEPS} steps may push to a protected branch .*split it into shorter commands`,
      ),
    );
    // A refusal found before the walk ran out stands.
    expect(
      (await inRepo(`git push origin main; ${checkouts} && ${'git push origin HEAD; '.repeat(n)}`))?.decision,
    ).toBe('deny');
  });
});
