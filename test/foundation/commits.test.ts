// Commit messages keep the project's rule: a subject of at most 72 characters, a blank line, the why in a body.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/hooks.js';
// @ts-expect-error a plain .mjs script, run as it is by the commit-msg hook
import { commitMessageProblems } from '../../scripts/commit-message.mjs';

const problems = (message: string): string[] => commitMessageProblems(message) as string[];
const git = (...args: string[]): string => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' });

/** This branch's own commits, the merges aside: none on main itself or where main is not known. */
function branchCommits(): string[] {
  try {
    git('rev-parse', '--verify', '--quiet', 'main');
  } catch {
    return [];
  }
  return git('rev-list', '--no-merges', 'main..HEAD').split('\n').filter(Boolean);
}

describe('commit messages', () => {
  it('takes a short subject, a blank line and a body, and ignores git’s comment lines', () => {
    expect(problems('Name only the store "embedded"\n\nWhy it matters.\n# Please enter the message\n')).toEqual([]);
  });

  it('names each thing wrong, in one line each', () => {
    expect(problems(`${'x'.repeat(73)}\n\nWhy.`)).toEqual([
      'the subject is 73 characters: keep it to 72, the why goes in the body',
    ]);
    expect(problems('Fix the thing.\nwhy\nand more\n')).toEqual([
      'the subject ends with a full stop: drop it',
      'the second line is not blank: put a blank line after the subject',
    ]);
    expect(problems('Fix the thing\n')).toEqual(['there is no body: say why the change is made']);
    expect(problems('\n\nbody')).toContain('the subject is empty: say in one line what the commit does');
  });

  it('counts characters, not bytes: an em dash is one', () => {
    expect(problems(`${'é'.repeat(71)}—\n\nWhy.`)).toEqual([]);
  });

  it("the commit-msg hook refuses a bad message with the checker's words and exit 1", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'th-commit-msg-'));
    try {
      const file = path.join(dir, 'COMMIT_EDITMSG');
      writeFileSync(file, 'Fix it\n');
      const hook = path.join(ROOT, 'scripts/git-hooks/commit-msg');
      expect(() => execFileSync(hook, [file], { stdio: 'pipe' })).toThrow(/there is no body/);
      writeFileSync(file, 'Fix it\n\nBecause.\n');
      expect(execFileSync(hook, [file], { encoding: 'utf8' })).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holds every commit of this branch that main does not have', () => {
    const bad = branchCommits().flatMap((sha) =>
      problems(git('log', '-1', '--format=%B', sha)).map((p) => `${sha.slice(0, 10)}: ${p}`),
    );
    expect(bad).toEqual([]);
  });
});
