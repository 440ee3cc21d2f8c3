// doctor's git step: what SessionStart tells about the repository, read with the same protections (through
// simple-git here).
import { simpleGitRunner } from '../git/simple.js';
import { gitRefusal } from '../git/repo.js';
import { collectGitState } from '../git/state.js';
import { shownHome } from '../home/dir.js';
import { step, type DoctorRun } from './step.js';
import { StepFailure } from './step-failure.js';

export async function gitStep({ args, steps, gitRoot }: DoctorRun): Promise<void> {
  const { log } = args;
  await step(steps, 'git', 'the repository', async () => {
    // Every git file is checked before git runs: a ref linked to /dev/zero or a FIFO is named here, not waited on.
    const refused = gitRefusal(args.cwd);
    if (refused !== undefined)
      throw new StepFailure(
        refused,
        'remove or replace the file named: a ref holds one commit id (`git update-ref` writes it again), and .git must be a folder or a `gitdir:` file',
      );
    if (!gitRoot) return 'not a git repository: sessions here are told no git state';
    const state = await collectGitState(gitRoot, log, simpleGitRunner);
    if (!state)
      throw new StepFailure(
        `git could not read ${gitRoot}`,
        `run \`git status\` in ${gitRoot}; the reason is in ${shownHome(['logs', 'cli.log'])}`,
      );
    return `${state.branch ?? 'detached HEAD'}: ${state.staged} staged, ${state.modified} modified, ${state.untracked} untracked`;
  });
}
