import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The git root above `cwd` (a folder holding `.git`, file or directory), found without spawning git. */
export function findGitRoot(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Where a repository keeps its metadata. `gitDir` holds HEAD and the index: `.git/`, or for a linked worktree or a
 * submodule the folder its `.git` file points to. `commonDir` holds refs and packed-refs: the main repository's
 * `.git/` for a linked worktree (named by its `commondir` file), `gitDir` itself otherwise.
 */
export interface GitDirs {
  gitDir: string;
  commonDir: string;
}

function gitDirOf(root: string): string {
  const dotGit = path.join(root, '.git');
  try {
    const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'));
    if (m?.[1]) return path.resolve(root, m[1].trim());
  } catch {
    // EISDIR: the usual `.git` directory
  }
  return dotGit;
}

export function gitDirs(root: string): GitDirs {
  const gitDir = gitDirOf(root);
  let commonDir = gitDir;
  try {
    commonDir = path.resolve(gitDir, readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim());
  } catch {
    // ENOENT: not a linked worktree
  }
  return { gitDir, commonDir };
}

/** HEAD's content: `ref: refs/heads/<branch>`, or a commit id when detached; undefined when unreadable. */
export function readHead(gitDir: string): string | undefined {
  try {
    return readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The branch a HEAD names, or null when detached. */
export function branchOfHead(head: string | undefined): string | null {
  return (head && /^ref:\s*refs\/heads\/(.+)$/.exec(head)?.[1]) || null;
}

/**
 * The checked-out branch read straight from HEAD: no git process, so PreToolUse and a cache hit cost no spawn.
 * null when detached or unreadable.
 */
export function readHeadBranch(root: string): string | null {
  // HEAD lives in gitDir: no `commondir` probe on PreToolUse's path.
  return branchOfHead(readHead(gitDirOf(root)));
}

/**
 * The main worktree of a linked worktree at `root` (its `commondir` names the main repository's `.git`), or undefined
 * for a main worktree, a submodule or a folder outside git. Read from files, never by running git: the paths are the
 * repository's own and only ever named, not executed.
 */
export function mainWorktreeOf(root: string): string | undefined {
  const { gitDir, commonDir } = gitDirs(root);
  // Only git's own layout (<common>/worktrees/<name>) counts: a forged .git file names no other project.
  if (gitDir === commonDir || path.dirname(gitDir) !== path.join(commonDir, 'worktrees')) return undefined;
  // A bare repository's worktrees share no main worktree: the repository folder itself names the project.
  return path.basename(commonDir) === '.git' ? path.dirname(commonDir) : commonDir.replace(/\.git$/, '');
}
