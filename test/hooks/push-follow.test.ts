// The push guard follows what a line does before its push: a checkout, a `cd`, -C, GIT_DIR, a worktree, a push target
// configured, a trap, a coprocess, an alias. Each spelling of FOLLOW_FORMS, read in this process and through the built
// hook, in a repository on `feature` beside another on main.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { demoProject, preToolUseInput, runHookHere } from '../helpers/hooks.js';
import { git } from '../helpers/git.js';
import { evaluateGuards } from '../../src/hooks/guards/guards.js';
import { readGitCall } from '../../src/hooks/guards/watched.js';
import { FOLLOW_FORMS, type Verdict } from './push-spellings.js';

describe('push guard following the line (protectedBranches ["main"], on branch feature)', () => {
  let project: ReturnType<typeof demoProject>;
  beforeAll(() => {
    project = demoProject({ config: { hooks: { guards: { protectedBranches: ['main'] } } } });
    git(project.repo.dir, 'checkout', '-q', '-b', 'feature');
    mkdirSync(path.join(project.repo.dir, 'sub'));
    git(project.repo.dir, 'init', '-q', '-b', 'main', 'clone-main');
  });
  afterAll(() => project.cleanup());

  const decided = async (command: string): Promise<Verdict> => {
    const call = await readGitCall(command);
    const guards = { protectedPaths: [], protectedBranches: ['main'], requireActiveTask: 'off' as const };
    const root = project.repo.dir;
    const args = { guards, root, cwd: root, branch: 'feature', inProgress: undefined, next: undefined };
    return call ? (evaluateGuards({ ...args, call })?.decision ?? 'pass') : 'pass';
  };

  it(`holds for ${FOLLOW_FORMS.length} forms, read in this process`, async () => {
    const got = await Promise.all(FOLLOW_FORMS.map(async ([command]) => [command, await decided(command)]));
    expect(got).toEqual(FOLLOW_FORMS.map(([command, verdict]) => [command, verdict]));
  });

  it('answers them alike through the hook, from a folder of the repository too', async () => {
    const verdictOf = async (command: string, cwd: string): Promise<string> => {
      const run = await runHookHere('pre-tool-use', preToolUseInput(cwd, 'Bash', { command }), { home: project.home });
      expect(run.code).toBe(0);
      return run.output?.hookSpecificOutput.permissionDecision ?? 'pass';
    };
    const got: Array<[string, string]> = [];
    for (let i = 0; i < FOLLOW_FORMS.length; i += 4) {
      const batch = FOLLOW_FORMS.slice(i, i + 4);
      const verdicts = await Promise.all(batch.map(([command]) => verdictOf(command, project.repo.dir)));
      batch.forEach(([command], k) => got.push([command, verdicts[k] ?? '']));
    }
    expect(got).toEqual(FOLLOW_FORMS.map(([command, verdict]) => [command, verdict]));
    // A relative folder starts where the session is.
    expect(await verdictOf('cd ../clone-main && git push', path.join(project.repo.dir, 'sub'))).toBe('deny');
    expect(await verdictOf('cd .. && git push', path.join(project.repo.dir, 'sub'))).toBe('pass');
  });
});
