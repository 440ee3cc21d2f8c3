// Where each git command of a line runs, as the commands before it leave things: a `cd`, git's -C and --git-dir,
// GIT_DIR, a checkout or switch, a worktree added, a push target configured. The branch a push writes to is read
// from where it runs (guards.ts), not only from where the session started: `git checkout main && git push` pushes main.
// A subshell's `cd` is taken to last: a guard that reads a directory too many asks, one too few lets a push through.
import os from 'node:os';
import path from 'node:path';
import {
  BRANCH_WITH_VALUE,
  CLONE_WITH_VALUE,
  cloneFolder,
  headMoved,
  INIT_WITH_VALUE,
  positionals,
} from './head-moves.js';

/** A checkout or switch earlier on the line: `branch` null when it detaches or names what cannot be known. */
export interface Checkout {
  /** Where it ran: a directory ('' the session's, relative to it, or absolute), null when unknown. */
  dir: string | null;
  gitDir?: string | null;
  branch: string | null;
  /** `git checkout X` may restore a file named X instead: the branch is X or stays what it was. */
  maybePath?: true;
  /** `git branch -m OLD NEW` renames HEAD's branch only when OLD is it: the branch is NEW or stays what it was. */
  maybe?: true;
}

/**
 * A worktree the line added (its branch), or a repository it made with `git clone` or `git init` (branch null: its
 * HEAD only running the line would tell). `from` is where the command ran, whose config a worktree shares.
 */
export interface Added {
  dir: string;
  branch: string | null;
  from?: { dir: string | null; gitDir?: string | null };
}

export interface Place {
  /** The directory the command runs in: '' the session's, relative to it, or absolute; null when unknown. */
  dir: string | null;
  /** GIT_DIR or --git-dir, written as `dir` is; null when unknown. */
  gitDir?: string | null;
  /** The checkouts made on the line before it, in order. */
  checkouts?: Checkout[];
  /** Worktrees (and repositories) the line added before it: the folder (as `dir` is written) and its branch. */
  worktrees?: Added[];
  /**
   * The line configured where a push goes before it: 'default' (push.default, an upstream) moves a push that names
   * no refspec, 'refspecs' (remote.*.push, remote.*.mirror) any refspec without a destination too.
   */
  retargeted?: 'default' | 'refspecs';
}

/** The longest folder the guard follows: the longest path Linux opens in one go. */
const MAX_DIR_CHARS = 4096;

/** The most checkouts (and worktrees) of one line the guard follows. */
const MAX_KEPT = 1000;

/** A folder's name alone: no separator, not `.` or `..`, no home folder and nothing a drive letter could start. */
const PLAIN_NAME = /^(?!\.\.?$|~)[^/\\:]+$/;

/** Options of git config that take the next word as their value. */
const CONFIG_WITH_VALUE: ReadonlySet<string> = new Set([
  '-f',
  '--file',
  '--blob',
  '--type',
  '--default',
  '--comment',
  '--value',
]);

/** `git config [options] [set|--add] KEY VALUE`: the key and its value, as written. */
export function configEntry(args: string[]): { key?: string; value?: string } {
  const words = args.filter((a, k) => !a.startsWith('-') && !CONFIG_WITH_VALUE.has(args[k - 1] ?? ''));
  const [key, value] = words[0] === 'set' || words[0] === 'unset' ? words.slice(1) : words;
  return { ...(key === undefined ? {} : { key }), ...(value === undefined ? {} : { value }) };
}

/** What a git config key changes of a push: none, which branch a push without refspec takes, or any refspec's. */
function pushKeyLevel(key: string): Place['retargeted'] | undefined {
  const k = key.toLowerCase();
  if (/^remote\..+\.(push|mirror)$/.test(k)) return 'refspecs';
  if (k === 'push.default' || /^branch\..+\.merge$/.test(k)) return 'default';
  return undefined;
}

/** Options of checkout and switch that take the next word as their value. */
const CHECKOUT_WITH_VALUE: ReadonlySet<string> = new Set(['-b', '-B', '-c', '-C', '--orphan', '--conflict']);

export class Places {
  /** '' is the session's directory; null once a `cd` went where only running the line would tell. */
  private dir: string | null = '';
  /** GIT_DIR as the line exports it: undefined when untouched, null when unknown. */
  private exported: string | null | undefined;
  private readonly checkouts: Checkout[] = [];
  private readonly worktrees: Added[] = [];
  private retargeted: Place['retargeted'];

  /** `known` says whether a word is known before the line runs; an unknown one is never guessed. */
  constructor(private readonly known: (word: string) => boolean) {}

  /**
   * `dir` (a word of the line) from `from`: null when either is unknown, or when it is longer than any folder the
   * guard follows; `~` is the home folder.
   */
  resolve(from: string | null, dir: string | undefined): string | null {
    if (from === null || dir === undefined || !this.known(dir) || /^~[^/]/.test(dir)) return null;
    let joined: string;
    // A plain name below `from`, which is normal already, is appended as it is: a line of many `cd sub` is then
    // followed in linear time.
    if (PLAIN_NAME.test(dir)) joined = from === '' ? dir : from.endsWith(path.sep) ? from + dir : from + path.sep + dir;
    else {
      const home = dir === '~' || dir.startsWith('~/') ? path.join(os.homedir(), dir.slice(1)) : dir;
      joined = path.isAbsolute(home) ? path.normalize(home) : path.join(from, home).replace(/^\.$/, '');
    }
    return joined.length > MAX_DIR_CHARS ? null : joined;
  }

  /** `cd DIR`, `pushd DIR`, `popd`: a plain `cd` goes home, `cd -` and `popd` back where the line cannot tell. */
  cd(name: string, args: string[]): void {
    const dirs = args.filter((a) => !/^-[LPe@]+$/.test(a) && a !== '--');
    if (name === 'popd' || dirs[0] === '-') this.dir = null;
    else this.dir = dirs.length === 0 && name === 'cd' ? os.homedir() : this.resolve(this.dir, dirs[0]);
  }

  /** `export GIT_DIR=x`, `GIT_DIR=x` alone, `unset GIT_DIR`: later commands of the line see it. */
  assign(words: string[], unset = false): void {
    for (const w of words) {
      if (unset && w === 'GIT_DIR') this.exported = undefined;
      const value = /^GIT_DIR=(.*)$/s.exec(w)?.[1];
      if (value !== undefined) this.exported = this.resolve(this.dir, value);
    }
  }

  /**
   * Where a git command runs: the line's directory moved by each -C, GIT_DIR (`prefix`, the command's own
   * assignment, before the exported one) or --git-dir, and a push target set by `-c`.
   */
  place(options: Array<[option: string, value: string | undefined]> = [], prefix?: string): Place {
    let dir = this.dir;
    let gitDir = prefix !== undefined ? this.resolve(this.dir, prefix) : this.exported;
    const retargeted = this.retargeted;
    for (const [option, value] of options) {
      if (option === '-C') dir = value === '' ? dir : this.resolve(dir, value);
      else if (option === '--git-dir') gitDir = this.resolve(dir, value);
      else if (option === '-c' && value !== undefined) {
        const key = value.split('=')[0] as string;
        this.retarget(this.known(key) ? pushKeyLevel(key) : 'refspecs');
      }
    }
    // A `-c` lasts for its own command only.
    const level = this.retargeted;
    this.retargeted = retargeted;
    return {
      dir,
      ...(gitDir === undefined ? {} : { gitDir }),
      ...(this.checkouts.length > 0 ? { checkouts: [...this.checkouts] } : {}),
      ...(this.worktrees.length > 0 ? { worktrees: [...this.worktrees] } : {}),
      ...(level ? { retargeted: level } : {}),
    };
  }

  /**
   * What a git command changes for the commands after it: HEAD (checkout, switch, a branch renamed, symbolic-ref,
   * rebase onto its branch, stash branch, update-ref --no-deref, bisect), a new worktree or repository, where a push
   * goes.
   */
  ran(sub: string, args: string[], at: Place): void {
    if (sub === 'checkout' || sub === 'switch') this.checkout(sub, args, at);
    else if (sub === 'worktree' && args[0] === 'add') this.worktree(args.slice(1), at);
    else if (sub === 'clone' || sub === 'init') this.made(sub, args, at);
    else if (sub === 'config') {
      const { key } = configEntry(args);
      if (key !== undefined) this.retarget(this.known(key) ? pushKeyLevel(key) : 'refspecs');
    } else if (sub === 'branch') {
      if (args.some((a) => /^(-u|--set-upstream-to(=.*)?|-t|--track(=.*)?)$/.test(a))) this.retarget('default');
      this.renamed(args, at);
    } else {
      const moved = headMoved(sub, args);
      if (moved !== undefined) this.moveHead(at, moved === null || !this.known(moved) ? null : moved);
    }
  }

  /** `git branch (-m|-M|--move) [OLD] NEW`: with NEW alone HEAD's branch is renamed to it; with OLD too, maybe. */
  private renamed(args: string[], at: Place): void {
    // -m, -M, a cluster holding either (`-fm`), --move; -c/-C copy and leave HEAD where it is.
    if (!args.some((a) => a === '--move' || /^-[a-zA-Z]*[mM][a-zA-Z]*$/.test(a))) return;
    const names = positionals(args, BRANCH_WITH_VALUE);
    const renamed = names.at(-1);
    if (renamed === undefined) return;
    this.moveHead(at, this.known(renamed) ? renamed : null, names.length > 1);
  }

  /** HEAD names `branch` after a command at `at` (null: detached, or a branch only running the line would tell). */
  private moveHead(at: Place, branch: string | null, maybe = false): void {
    const made: Checkout = {
      dir: at.dir,
      ...(at.gitDir === undefined ? {} : { gitDir: at.gitDir }),
      branch,
      ...(maybe && branch !== null ? { maybe: true as const } : {}),
    };
    withoutEarlier(this.checkouts, made, (a, b) => a.gitDir === b.gitDir && !a.maybePath && a.maybe === b.maybe);
    this.keep(this.checkouts, made);
  }

  /**
   * `git clone [options] URL [DIR]` and `git init [DIR]` make a repository (or init one again) whose HEAD only
   * running the line would tell: DIR, the folder the clone names after URL, or where init runs.
   */
  private made(sub: string, args: string[], at: Place): void {
    const words = positionals(args, sub === 'clone' ? CLONE_WITH_VALUE : INIT_WITH_VALUE);
    let dir: string | undefined;
    if (sub === 'init') dir = words[0] ?? '.';
    else if (words[1] !== undefined) dir = words[1];
    else if (words[0] !== undefined && this.known(words[0])) {
      const bare = args.some((a) => a === '--bare' || a === '--mirror');
      const name = cloneFolder(words[0]);
      dir = name === undefined ? undefined : bare ? `${name}.git` : name;
    }
    const folder = dir === undefined ? null : this.resolve(at.dir, dir);
    if (folder === null) return;
    const added: Added = { dir: folder, branch: null };
    withoutEarlier(this.worktrees, added, () => true);
    this.keep(this.worktrees, added);
  }

  /**
   * Keeps a checkout or worktree for the commands after it; past MAX_KEPT of either, where they run is unknown
   * instead, as every command's place carries a copy of them.
   */
  private keep<T>(list: T[], made: T): void {
    if (list.length < MAX_KEPT) list.push(made);
    else this.dir = null;
  }

  private retarget(level: Place['retargeted'] | undefined): void {
    if (level === 'refspecs' || (level === 'default' && this.retargeted === undefined)) this.retargeted = level;
  }

  private checkout(sub: string, args: string[], at: Place): void {
    if (args.includes('--') || args.some((a) => /^(-p|--patch|--pathspec-from-file(=.*)?)$/.test(a))) return;
    if (args.some((a) => /^(-t|--track(=.*)?)$/.test(a))) this.retarget('default');
    const created = args.findIndex((a) => CHECKOUT_WITH_VALUE.has(a) && a !== '--conflict');
    const positional = args.filter(
      (a, k) => !a.startsWith('-') && !CHECKOUT_WITH_VALUE.has(args[k - 1] ?? '') && a !== '-',
    );
    const named = created >= 0 ? args[created + 1] : positional[0];
    // Detached, or back to the branch before (`-`): no branch the line names.
    const unnamed = args.some((a) => a === '-d' || a === '--detach' || a === '-');
    if (named === undefined && !unnamed) return;
    const branch = unnamed || named === undefined || !this.known(named) ? null : named;
    // `git checkout X` restores a file X when no branch has that name; switch and -b only ever change HEAD.
    const maybePath = sub === 'checkout' && created < 0 && branch !== null;
    const made: Checkout = {
      dir: at.dir,
      ...(at.gitDir === undefined ? {} : { gitDir: at.gitDir }),
      branch,
      ...(maybePath ? { maybePath: true as const } : {}),
    };
    withoutEarlier(this.checkouts, made, (a, b) => a.gitDir === b.gitDir && a.maybePath === b.maybePath && !a.maybe);
    this.keep(this.checkouts, made);
  }

  /** `git worktree add [-b new] PATH [COMMIT]`: PATH holds the new branch, or COMMIT's. */
  private worktree(args: string[], at: Place): void {
    const created = args.findIndex((a) => a === '-b' || a === '-B');
    const positional = args.filter(
      (a, k) => !a.startsWith('-') && (created < 0 || k !== created + 1) && args[k - 1] !== '--reason',
    );
    const folder = this.resolve(at.dir, positional[0]);
    if (folder === null) return;
    const named = created >= 0 ? args[created + 1] : positional[1];
    const detached = args.includes('--detach') || args.includes('-d');
    const branch = detached || named === undefined || !this.known(named) ? null : named;
    // With no branch named, git makes one named after the folder.
    const added: Added = {
      dir: folder,
      branch: named === undefined && !detached ? path.basename(folder) : branch,
      from: { dir: at.dir, ...(at.gitDir === undefined ? {} : { gitDir: at.gitDir }) },
    };
    withoutEarlier(this.worktrees, added, (a, b) => a.from?.dir === b.from?.dir && a.from?.gitDir === b.from?.gitDir);
    this.keep(this.worktrees, added);
  }
}

/**
 * Drops from `list` the record equal to `made` (same folder and branch, and `same` says the rest), about to be
 * pushed again: the guard reads the last of equal ones only, and a line repeating one would make its walk grow with
 * the square of its length.
 */
function withoutEarlier<T extends { dir: string | null; branch: string | null }>(
  list: T[],
  made: T,
  same: (a: T, b: T) => boolean,
): void {
  const k = list.findIndex((r) => r.dir === made.dir && r.branch === made.branch && same(r, made));
  if (k >= 0) list.splice(k, 1);
}

/** Whether the line changed anything of where a git command runs. */
export const moved = (p: Place): boolean =>
  p.dir !== '' ||
  p.gitDir !== undefined ||
  p.checkouts !== undefined ||
  p.worktrees !== undefined ||
  p.retargeted !== undefined;
