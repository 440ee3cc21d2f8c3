import path from 'node:path';
import { findGitRoot, mainWorktreeOf, readHeadBranch } from '../git/repo.js';

/** Which project and branch a session, a refresh or a CLI command is about. */
export interface Scope {
  /** Git root, or the working directory when it is not a git repository. */
  projectRoot: string;
  /**
   * The project's name on the task server: configured or its repository's (the settings resolve both), else the root
   * folder's name; every linked worktree of a repository is named after its main worktree, so all of them are one
   * project, each on its own branch.
   */
  project: string;
  /** The local git branch; '' when not in a repository or detached. */
  branch: string;
}

/** `project`: the configured name on the task server, when there is one. */
export function resolveScope(
  project: string | undefined,
  projectRoot: string,
  branch: string | null | undefined,
): Scope {
  return {
    projectRoot,
    project: project ?? path.basename(mainWorktreeOf(projectRoot) ?? projectRoot),
    branch: branch ?? '',
  };
}

/**
 * The scope of a working directory: its git root (or the directory itself outside git) and the branch HEAD names,
 * found without spawning git. `gitRoot` is undefined outside a repository.
 */
export function locateScope(project: string | undefined, cwd: string): { scope: Scope; gitRoot: string | undefined } {
  const gitRoot = findGitRoot(cwd);
  return {
    scope: resolveScope(project, gitRoot ?? path.resolve(cwd), gitRoot ? readHeadBranch(gitRoot) : null),
    gitRoot,
  };
}
