// The push guard's reading is bounded, so that one command cannot hold the monitor, which serves every session's
// hooks: a command past what the reader reads is asked about when it names git, a long heredoc no shell reads is set
// aside and costs nothing, and a line of many redirections is read in linear time.
import { describe, expect, it } from 'vitest';
import { gitInvocations, MAX_PARSED_CHARS } from '../../src/hooks/guards/bash.js';
import { evaluateGuards } from '../../src/hooks/guards/guards.js';
import { MAX_READ_CHARS } from '../../src/hooks/guards/prefilter.js';
import { readGitCall } from '../../src/hooks/guards/watched.js';

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
    expect(await decided(`cat > notes.md <<'EOF'\n${body}EOF\ngit push origin feature`)).toBeUndefined();
  });
});
