import path from 'node:path';
import { pathKind, readFailure, readTextCapped, SMALL_MAX_BYTES } from '../util/safe-read.js';

/**
 * The folder above `cwd` holding the nearest `.git`, and why that repository is refused when its `.git` is neither a
 * file nor a folder (a FIFO would block whoever reads it, git included; a device never ends).
 */
export function findRepo(cwd: string): { root: string; refused?: string } | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    const dotGit = path.join(dir, '.git');
    const kind = pathKind(dotGit);
    if (kind === 'file' || kind === 'directory') return { root: dir };
    if (kind !== 'missing')
      return { root: dir, refused: `${dotGit} is a ${kind}, not a git folder or file: the repository is ignored` };
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The git root above `cwd` (a folder holding `.git`, file or directory), found without spawning git; none when refused. */
export function findGitRoot(cwd: string): string | undefined {
  const found = findRepo(cwd);
  return found && found.refused === undefined ? found.root : undefined;
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
    const m = /^gitdir:\s*(.+)$/m.exec(readTextCapped(dotGit, SMALL_MAX_BYTES));
    if (m?.[1]) return path.resolve(root, m[1].trim());
  } catch {
    // EISDIR: the usual `.git` directory (anything else refused is found by gitRefusal)
  }
  return dotGit;
}

export function gitDirs(root: string): GitDirs {
  const gitDir = gitDirOf(root);
  let commonDir = gitDir;
  try {
    commonDir = path.resolve(gitDir, readTextCapped(path.join(gitDir, 'commondir'), SMALL_MAX_BYTES).trim());
  } catch {
    // ENOENT: not a linked worktree
  }
  return { gitDir, commonDir };
}

/** HEAD's content: `ref: refs/heads/<branch>`, or a commit id when detached; undefined when unreadable. */
export function readHead(gitDir: string): string | undefined {
  try {
    return readTextCapped(path.join(gitDir, 'HEAD'), SMALL_MAX_BYTES).trim();
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

/** The files git reads first in a repository, each with the kinds it may be (absent is always allowed). */
function gitFiles({ gitDir, commonDir }: GitDirs): Array<[string, 'file' | 'directory']> {
  return [
    [gitDir, 'directory'],
    [commonDir, 'directory'],
    [path.join(gitDir, 'HEAD'), 'file'],
    [path.join(gitDir, 'commondir'), 'file'],
    [path.join(gitDir, 'index'), 'file'],
    [path.join(gitDir, 'config.worktree'), 'file'],
    [path.join(commonDir, 'config'), 'file'],
    [path.join(commonDir, 'packed-refs'), 'file'],
  ];
}

/**
 * Why git must not be run in `cwd`, or undefined when it may: a `.git`, gitdir, HEAD, index or config that is a FIFO
 * or a device would hang or flood git as it would taskhooks. Checked before every git taskhooks spawns (stats only).
 */
export function gitRefusal(cwd: string): string | undefined {
  const found = findRepo(cwd);
  if (found === undefined || found.refused !== undefined) return found?.refused;
  const dotGit = path.join(found.root, '.git');
  if (pathKind(dotGit) === 'file') {
    try {
      readTextCapped(dotGit, SMALL_MAX_BYTES);
    } catch (err) {
      return `${dotGit} cannot be read (${readFailure(err)}): the repository is ignored`;
    }
  }
  for (const [file, want] of gitFiles(gitDirs(found.root))) {
    const kind = pathKind(file);
    if (kind !== 'missing' && kind !== want) return `${file} is a ${kind}, not a ${want}: the repository is ignored`;
  }
  return undefined;
}
