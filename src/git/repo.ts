import path from 'node:path';
import { type Dirent, readdirSync, statSync } from 'node:fs';
import {
  CONFIG_MAX_BYTES,
  kindOfStats,
  pathKind,
  readFailure,
  readTextCapped,
  readTextIfPresent,
  SMALL_MAX_BYTES,
} from '../util/safe-read.js';

/** A repository's root, and why it is refused when it is. */
export interface Repo {
  root: string;
  refused?: string;
}

/**
 * The repository whose root is `dir`, when `dir` holds a `.git`, and why it is refused when that `.git` is neither a
 * file nor a folder (a FIFO would block whoever reads it, git included; a device never ends).
 */
export function repoAt(dir: string): Repo | undefined {
  const dotGit = path.join(dir, '.git');
  const kind = pathKind(dotGit);
  if (kind === 'missing') return undefined;
  if (kind === 'file' || kind === 'directory') return { root: dir };
  return { root: dir, refused: `${dotGit} is a ${kind}, not a git folder or file: the repository is ignored` };
}

/** The repository of the nearest `.git` at or above `cwd` (see repoAt). */
export function findRepo(cwd: string): Repo | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const found = repoAt(dir);
    if (found || path.dirname(dir) === dir) return found;
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
  // The usual `.git` directory is looked at, not read and refused (anything else refused is found by gitRefusal).
  if (pathKind(dotGit) !== 'file') return dotGit;
  try {
    const m = /^gitdir:\s*(.+)$/m.exec(readTextCapped(dotGit, SMALL_MAX_BYTES));
    if (m?.[1]) return path.resolve(root, m[1].trim());
  } catch {
    // swapped for something else since: gitRefusal finds it
  }
  return dotGit;
}

export function gitDirs(root: string): GitDirs {
  const gitDir = gitDirOf(root);
  let commonDir = gitDir;
  try {
    // None: not a linked worktree.
    const common = readTextIfPresent(path.join(gitDir, 'commondir'), SMALL_MAX_BYTES);
    if (common !== undefined) commonDir = path.resolve(gitDir, common.trim());
  } catch {
    // refused or unreadable: read as no linked worktree
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

/** What a git file may be: its kind, and for a file the most bytes it may hold. */
interface Allowed {
  kind: 'file' | 'directory';
  maxBytes?: number;
}

/** packed-refs and the index grow with a repository, but no real one makes them this large: beyond, they are a trap. */
const PACKED_REFS_MAX_BYTES = 512 * 1024 * 1024;
const INDEX_MAX_BYTES = 2 * 1024 * 1024 * 1024;
/** Loose refs checked before git runs: enough for any working repository, and a bound on the stats a hook makes. */
const LOOSE_REFS_CHECKED = 2000;
const FILE = (maxBytes: number): Allowed => ({ kind: 'file', maxBytes });

/** The files git reads first in a repository, each with what it may be (absent is always allowed). */
function gitFiles({ gitDir, commonDir }: GitDirs): Array<[string, Allowed]> {
  return [
    [gitDir, { kind: 'directory' }],
    [commonDir, { kind: 'directory' }],
    [path.join(gitDir, 'HEAD'), FILE(SMALL_MAX_BYTES)],
    [path.join(gitDir, 'commondir'), FILE(SMALL_MAX_BYTES)],
    [path.join(gitDir, 'index'), FILE(INDEX_MAX_BYTES)],
    [path.join(gitDir, 'config.worktree'), FILE(CONFIG_MAX_BYTES)],
    [path.join(commonDir, 'config'), FILE(CONFIG_MAX_BYTES)],
    [path.join(commonDir, 'packed-refs'), FILE(PACKED_REFS_MAX_BYTES)],
  ];
}

/** Why `file` is not what git may read as `allowed`, in one line naming it; undefined when it is (or is absent). */
function misfit(file: string, allowed: Allowed): string | undefined {
  let s: ReturnType<typeof statSync>;
  try {
    s = statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined; // ENOTDIR, ELOOP, EACCES on the way: git finds nothing there either
  }
  const kind = kindOfStats(s);
  if (kind === 'missing') return undefined;
  if (kind !== allowed.kind) return `${file} is a ${kind}, not a ${allowed.kind}: the repository is ignored`;
  if (allowed.maxBytes !== undefined && s && s.size > allowed.maxBytes)
    return `${file} is ${s.size} bytes, over the ${allowed.maxBytes}-byte limit for it: the repository is ignored`;
  return undefined;
}

/**
 * The first loose ref under `dir` (refs/heads, refs/remotes) that is no small regular file: git reads a branch's ref
 * on every status and log, and each ref on a listing. Stops after LOOSE_REFS_CHECKED entries.
 */
function badLooseRef(dir: string, budget = { left: LOOSE_REFS_CHECKED }): string | undefined {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined; // no such folder: every ref is packed
  }
  for (const entry of entries) {
    if (budget.left-- <= 0) return undefined;
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = badLooseRef(file, budget);
      if (inner !== undefined) return inner;
      continue;
    }
    const problem = misfit(file, FILE(SMALL_MAX_BYTES));
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/**
 * Why git must not be run in `cwd`, or undefined when it may: a `.git`, gitdir, HEAD, index, config, packed-refs or
 * loose ref that is a FIFO or a device, or larger than such a file can be, would hang git or have it read until it
 * holds gigabytes, as it would taskhooks. Checked before every git taskhooks spawns (stats only), in one line naming
 * the file.
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
  const dirs = gitDirs(found.root);
  for (const [file, allowed] of gitFiles(dirs)) {
    const problem = misfit(file, allowed);
    if (problem !== undefined) return problem;
  }
  const budget = { left: LOOSE_REFS_CHECKED };
  for (const sub of ['refs/heads', 'refs/remotes']) {
    const problem = badLooseRef(path.join(dirs.commonDir, sub), budget);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
