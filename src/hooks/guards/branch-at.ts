// The branch a git command's HEAD names where it runs (./place.ts tells where): the session's branch unless the line
// moved it, else read from the repository it reaches, through the checkouts the line made there before it.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { branchOfHead, gitDirs, readHead, type Repo, repoAt } from '../../git/repo.js';
import { CONFIG_MAX_BYTES, pathKind, readTextCapped, SMALL_MAX_BYTES } from '../../util/safe-read.js';
import { realLocation } from './real-location.js';
import type { Checkout, Place } from './place.js';
import type { PushConfig, ReadPushConfig } from './push-config.js';

/** A branch HEAD may name: null when detached, undefined when only running the line would tell. */
export type Head = string | null | undefined;

/**
 * The steps the push guard may take to follow one tool call's line (a checkout weighed, a folder looked at on the way
 * up to its repository, a ref looked up): kept small enough that the monitor, which answers every session's hooks on
 * one thread, answers the others meanwhile (bench/guard.bench.mjs measures the worst lines).
 */
export const WALK_STEPS = 20_000;

/** Characters of a path that cost a step to handle. */
const PATH_CHARS_PER_STEP = 128;

/** Bytes of a config file that cost a step to read and parse. */
const CONFIG_BYTES_PER_STEP = 64;

/** The walk ran out of steps: the guard cannot tell where the line's pushes go. */
export class WalkBudgetError extends Error {
  constructor(readonly steps: number) {
    super(`the line moves HEAD or its folder more than the guard follows in ${steps} steps`);
    this.name = 'WalkBudgetError';
  }
}

/** What a line's repository lookups found, kept for the whole call, and the steps left to take. */
export class Walk {
  private readonly repos = new Map<string, Repo | undefined>();
  private readonly headDirs = new Map<string, string | null>();
  private readonly gitDirs = new Map<string, string>();
  private readonly branches = new Map<string, boolean>();
  private readonly folders = new Map<string, boolean>();
  private readonly configs = new Map<string, PushConfig | null>();

  private left = WALK_STEPS;

  /** `readConfig` reads a repository's push settings (./push-config.ts, loaded with the Bash reader). */
  constructor(private readonly readConfig?: ReadPushConfig) {}

  spend(n = 1): void {
    this.left -= n;
    if (this.left < 0) throw new WalkBudgetError(WALK_STEPS);
  }

  /** Each path is taken apart and put together again a few times: its length is the cost. */
  private spendOn(p: string): void {
    this.spend(1 + Math.ceil(p.length / PATH_CHARS_PER_STEP));
  }

  /** The git directory holding HEAD for a place, as a comparable path; null when unknown or outside git. */
  headDir(p: { dir: string | null; gitDir?: string | null | undefined }, cwd: string): string | null {
    const key = `${p.dir}\0${p.gitDir}`;
    const known = this.headDirs.get(key);
    if (known !== undefined) return known;
    this.spendOn(key);
    let found: string | null;
    if (p.gitDir !== undefined) {
      const full = p.gitDir === null ? null : path.resolve(cwd, p.gitDir);
      // Resolving a path's links walks it a part at a time.
      if (full !== null) this.spend(full.split(path.sep).length);
      // A git dir the line has yet to make holds a HEAD only running it would tell; a `.git` file names the real one.
      const kind = full === null ? 'missing' : pathKind(full);
      found = full === null || kind === 'missing' ? null : realLocation(kind === 'file' ? gitFileTarget(full) : full);
    } else if (p.dir === null) found = null;
    else {
      const full = path.resolve(cwd, p.dir);
      // A folder the line has yet to make (`git clone … nd && cd nd`, `mkdir nd && cd nd && git init`) is not the
      // repository above it: only running the line would tell what it holds.
      const repo = p.dir === '' || this.isFolder(full) ? this.repoAbove(full) : undefined;
      found = repo === undefined || repo.refused !== undefined ? null : this.gitDirOf(repo.root);
    }
    this.headDirs.set(key, found);
    return found;
  }

  /**
   * Whether `dir` is a folder now (links followed), looked at once for the whole walk: one step, its path's length
   * already paid for by headDir.
   */
  private isFolder(dir: string): boolean {
    let known = this.folders.get(dir);
    if (known === undefined) {
      this.spend();
      known = pathKind(dir) === 'directory';
      this.folders.set(dir, known);
    }
    return known;
  }

  /**
   * The push settings where `at` says a push runs (a worktree the line added shares its repository's), read once per
   * repository for the whole walk: null when they cannot be read or understood, or where it runs is unknown.
   */
  pushConfig(at: Place | undefined, cwd: string): PushConfig | null {
    if (this.readConfig === undefined) return null;
    let place: { dir: string | null; gitDir?: string | null | undefined } = at ?? { dir: '' };
    if (at !== undefined && at.gitDir === undefined && at.dir !== null) {
      const dir = path.resolve(cwd, at.dir);
      this.spend(at.worktrees?.length ?? 0);
      const added = (at.worktrees ?? []).findLast((w) => within(dir, path.resolve(cwd, w.dir)));
      if (added) {
        if (added.from === undefined) return null;
        place = added.from;
      }
    }
    const gitDir = this.headDir(place, cwd);
    if (gitDir === null) return null;
    let config = this.configs.get(gitDir);
    if (config === undefined) {
      try {
        config = this.readConfig(gitDir, commonDirOf(gitDir), (bytes) =>
          this.spend(1 + Math.ceil(bytes / CONFIG_BYTES_PER_STEP)),
        );
      } catch (err) {
        if (err instanceof WalkBudgetError) throw err;
        config = null;
      }
      this.configs.set(gitDir, config);
    }
    return config;
  }

  /** findRepo, each folder on the way looked at once for the whole walk. */
  private repoAbove(from: string): Repo | undefined {
    const passed: string[] = [];
    let found: Repo | undefined;
    let dir = from;
    while (!this.repos.has(dir)) {
      this.spendOn(dir);
      passed.push(dir);
      found = repoAt(dir);
      if (found || path.dirname(dir) === dir) break;
      dir = path.dirname(dir);
    }
    found ??= this.repos.get(dir);
    for (const d of passed) this.repos.set(d, found);
    return found;
  }

  private gitDirOf(root: string): string {
    let found = this.gitDirs.get(root);
    if (found === undefined) {
      found = realLocation(gitDirs(root).gitDir);
      this.gitDirs.set(root, found);
    }
    return found;
  }

  /** branchExists, looked up once per repository and name. */
  branchExists(gitDir: string, name: string): boolean {
    const key = `${gitDir}\0${name}`;
    let known = this.branches.get(key);
    if (known === undefined) {
      // A directory listing and packed-refs read: many folder lookups' worth.
      this.spend(16);
      known = branchExists(gitDir, name);
      this.branches.set(key, known);
    }
    return known;
  }
}

/** The folder a `.git` file (`gitdir: …`) names; the file itself when it names none. */
function gitFileTarget(file: string): string {
  try {
    const m = /^gitdir:\s*(.+)$/m.exec(readTextCapped(file, SMALL_MAX_BYTES));
    if (m?.[1]) return path.resolve(path.dirname(file), m[1].trim());
  } catch {
    // Unreadable: read as the folder it is not, whose HEAD is then unknown.
  }
  return file;
}

/** Where the refs of the repository whose HEAD is in `gitDir` live (a linked worktree's are the main one's). */
export function commonDirOf(gitDir: string): string {
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
 * `git checkout X` may have restored a file X instead: the guard weighs each. Throws WalkBudgetError once `walk`
 * has no steps left.
 */
export function headsAt(at: Place | undefined, current: string | null, cwd: string, walk: Walk): Head[] {
  if (at === undefined) return [current];
  // A worktree the line added holds the branch it was added on: its folder may not exist yet.
  if (at.gitDir === undefined && at.dir !== null) {
    const dir = path.resolve(cwd, at.dir);
    walk.spend(at.worktrees?.length ?? 0);
    const added = (at.worktrees ?? []).findLast((w) => within(dir, path.resolve(cwd, w.dir)));
    if (added) return [added.branch ?? undefined];
  }
  const here = walk.headDir(at, cwd);
  if (here === null) return [undefined];
  const own = walk.headDir({ dir: '' }, cwd);
  const heads = new Set<Head>();
  const list = at.checkouts ?? [];
  // From the last checkout back: one that surely moved HEAD here ends the walk; one that may have restored a file
  // instead adds its branch and goes on.
  for (let k = list.length - 1; k >= 0; k--) {
    walk.spend();
    const c = list[k] as Checkout;
    const there = walk.headDir(c, cwd);
    // A checkout in a repository only running the line would tell may be this one.
    if (there === null) return [...heads.add(undefined)];
    if (there !== here) continue;
    if (c.branch === null) return [...heads.add(undefined)];
    heads.add(c.branch);
    // A branch renamed from another that may not have been HEAD's: HEAD names it, or what it named before.
    if (c.maybe) continue;
    // No branch of that name: the checkout restored a file, or made the branch from one the line fetched.
    if (!c.maybePath || walk.branchExists(here, c.branch)) return [...heads];
  }
  if (here === own) return [...heads.add(current)];
  // A HEAD that cannot be read is not a detached one.
  const head = readHead(here);
  return [...heads.add(head === undefined ? undefined : branchOfHead(head))];
}
