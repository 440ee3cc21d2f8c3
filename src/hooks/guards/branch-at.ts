// The branch a git command's HEAD names where it runs (./place.ts tells where): the session's branch unless the line
// moved it, else read from the repository it reaches, through the checkouts the line made there before it.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { branchOfHead, findGitRoot, gitDirs, readHead } from '../../git/repo.js';
import { CONFIG_MAX_BYTES, pathKind, readTextCapped, SMALL_MAX_BYTES } from '../../util/safe-read.js';
import { realLocation } from './real-location.js';
import type { Checkout, Place } from './place.js';

/** A branch HEAD may name: null when detached, undefined when only running the line would tell. */
export type Head = string | null | undefined;

/** The git directory holding HEAD for a place, as a comparable path; null when unknown or outside git. */
function headDir(p: { dir: string | null; gitDir?: string | null | undefined }, cwd: string): string | null {
  if (p.gitDir !== undefined) return p.gitDir === null ? null : realLocation(path.resolve(cwd, p.gitDir));
  if (p.dir === null) return null;
  const root = findGitRoot(path.resolve(cwd, p.dir));
  return root === undefined ? null : realLocation(gitDirs(root).gitDir);
}

/** Where the refs of the repository whose HEAD is in `gitDir` live (a linked worktree's are the main one's). */
function commonDirOf(gitDir: string): string {
  try {
    return path.resolve(gitDir, readTextCapped(path.join(gitDir, 'commondir'), SMALL_MAX_BYTES).trim());
  } catch {
    return gitDir;
  }
}

/**
 * Whether `git checkout name` would check out a branch: a local one, or a remote's it would make one of. Read from
 * the ref files and packed-refs; a ref too large to read counts as none (the guard then weighs both outcomes).
 */
function branchExists(gitDir: string, name: string): boolean {
  const common = commonDirOf(gitDir);
  if (pathKind(path.join(common, 'refs', 'heads', name)) === 'file') return true;
  try {
    const remotes = readdirSync(path.join(common, 'refs', 'remotes'));
    if (remotes.some((r) => pathKind(path.join(common, 'refs', 'remotes', r, name)) === 'file')) return true;
  } catch {
    // No remote refs as files.
  }
  try {
    const packed = readTextCapped(path.join(common, 'packed-refs'), CONFIG_MAX_BYTES);
    return packed.split('\n').some((line) => {
      const ref = line.slice(line.indexOf(' ') + 1);
      return ref === `refs/heads/${name}` || (ref.startsWith('refs/remotes/') && ref.endsWith(`/${name}`));
    });
  } catch {
    return false;
  }
}

/** Whether `inner` is `outer` or inside it. */
const within = (inner: string, outer: string): boolean => {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/**
 * The branches HEAD may name where `at` says a command runs, `current` being the session's. Several when a
 * `git checkout X` may have restored a file X instead: the guard weighs each.
 */
export function headsAt(at: Place | undefined, current: string | null, cwd: string): Head[] {
  if (at === undefined) return [current];
  // A worktree the line added holds the branch it was added on: its folder may not exist yet.
  if (at.gitDir === undefined && at.dir !== null) {
    const dir = path.resolve(cwd, at.dir);
    const added = (at.worktrees ?? []).findLast((w) => within(dir, path.resolve(cwd, w.dir)));
    if (added) return [added.branch ?? undefined];
  }
  const here = headDir(at, cwd);
  if (here === null) return [undefined];
  const own = headDir({ dir: '' }, cwd);
  const onDisk = (): Head[] => [here === own ? current : branchOfHead(readHead(here))];
  return throughCheckouts(at.checkouts ?? [], here, cwd, onDisk);
}

function throughCheckouts(list: Checkout[], here: string, cwd: string, onDisk: () => Head[]): Head[] {
  for (let k = list.length - 1; k >= 0; k--) {
    const c = list[k] as Checkout;
    const there = headDir(c, cwd);
    // A checkout in a repository only running the line would tell may be this one.
    if (there === null) return [undefined];
    if (there !== here) continue;
    if (c.branch === null) return [undefined];
    // No branch of that name: the checkout restored a file, or made the branch from one the line fetched.
    if (!c.maybePath || branchExists(here, c.branch)) return [c.branch];
    return [c.branch, ...throughCheckouts(list.slice(0, k), here, cwd, onDisk)];
  }
  return onDisk();
}
