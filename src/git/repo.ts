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

/** The directory git keeps HEAD in: `.git/`, or for a worktree/submodule the one its `.git` file points to. */
function gitDir(root: string): string {
  const dotGit = path.join(root, '.git');
  try {
    const text = readFileSync(dotGit, 'utf8');
    const m = /^gitdir:\s*(.+)$/m.exec(text);
    if (m?.[1]) return path.resolve(root, m[1].trim());
  } catch {
    // EISDIR: the usual `.git` directory
  }
  return dotGit;
}

/**
 * The checked-out branch read straight from HEAD: no git process, so PreToolUse and a cache hit cost no spawn.
 * null when detached or unreadable.
 */
export function readHeadBranch(root: string): string | null {
  try {
    const head = readFileSync(path.join(gitDir(root), 'HEAD'), 'utf8').trim();
    const m = /^ref:\s*refs\/heads\/(.+)$/.exec(head);
    return m?.[1] ?? null;
  } catch {
    return null;
  }
}
