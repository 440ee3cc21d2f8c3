// The monitor learns of commits, checkouts and staging from the file system instead of polling git: each followed
// repository's metadata folders are watched (inotify and the like: no timer runs while nothing changes).
import { watch as fsWatch, type FSWatcher } from 'node:fs';
import { gitWatchTargets, type WatchTarget } from '../../git/metadata.js';
import type { Logger } from '../../log/logger.js';

/** Watches one folder; `onEvent` gets the name of the entry that changed (null when the platform does not say). */
export type WatchFn = (dir: string, onEvent: (name: string | null) => void) => FSWatcher;

const nodeWatch: WatchFn = (dir, onEvent) => fsWatch(dir, { persistent: false }, (_event, name) => onEvent(name));

/** A checkout writes the ref, HEAD and the index within milliseconds: one read once the burst is over. */
const SETTLE_MS = 150;

export interface GitWatchers {
  /** Follows exactly `roots`: watches the new ones, closes the watchers of the ones left out. */
  follow(roots: readonly string[]): void;
  /** Reads `root`'s watch set again: a branch switch moves the ref to watch, a repository may have become watchable. */
  retarget(root: string): void;
  /** Followed roots whose metadata is not watched (not a repository yet, or the platform refused): the poll's part. */
  unwatched(): string[];
  close(): void;
}

interface Watched {
  /** The watch set it was made from, to tell whether a retarget changes anything. */
  key: string;
  watchers: FSWatcher[];
  timer?: NodeJS.Timeout;
}

function matters(target: WatchTarget, name: string | null): boolean {
  if (name === null) return true;
  // Git writes `X.lock` and renames it to `X`: the rename is the change.
  if (name.endsWith('.lock')) return false;
  return target.names === undefined || target.names.includes(name);
}

export function createGitWatchers(opts: {
  log: Logger;
  onChange(root: string): void;
  watch?: WatchFn;
  settleMs?: number;
}): GitWatchers {
  return new FollowedMetadata(opts.log, opts.onChange, opts.watch ?? nodeWatch, opts.settleMs ?? SETTLE_MS);
}

function stop(w: Watched | null | undefined): void {
  if (!w) return;
  clearTimeout(w.timer);
  for (const watcher of w.watchers) watcher.close();
}

/** The followed roots and the watchers of each one's metadata folders. */
class FollowedMetadata implements GitWatchers {
  /** null: followed, not watched. */
  private readonly followed = new Map<string, Watched | null>();
  /** Roots whose failure to be watched was logged, so a poll retrying every few minutes does not repeat it. */
  private readonly reported = new Set<string>();

  constructor(
    private readonly log: Logger,
    private readonly onChange: (root: string) => void,
    private readonly watch: WatchFn,
    private readonly settleMs: number,
  ) {}

  follow(roots: readonly string[]): void {
    const wanted = new Set(roots);
    for (const [root, w] of this.followed) {
      if (wanted.has(root)) continue;
      stop(w);
      this.followed.delete(root);
      this.reported.delete(root);
    }
    for (const root of wanted) if (!this.followed.has(root)) this.followed.set(root, this.start(root));
  }

  retarget(root: string): void {
    if (!this.followed.has(root)) return;
    const current = this.followed.get(root);
    const targets = gitWatchTargets(root);
    if (current && targets && current.key === JSON.stringify(targets)) return;
    const pending = current?.timer !== undefined;
    stop(current);
    this.followed.set(root, this.start(root));
    // A change seen just before the switch must not be lost with the old watchers.
    if (pending) this.onChange(root);
  }

  unwatched(): string[] {
    return [...this.followed].filter(([, w]) => w === null).map(([root]) => root);
  }

  close(): void {
    for (const w of this.followed.values()) stop(w);
    this.followed.clear();
  }

  private start(root: string): Watched | null {
    const targets = gitWatchTargets(root);
    if (!targets) return null;
    const w: Watched = { key: JSON.stringify(targets), watchers: [] };
    for (const target of targets) {
      try {
        w.watchers.push(this.watchTarget(root, w, target));
      } catch (err) {
        stop(w);
        return this.unwatchable(root, err, target.dir);
      }
    }
    if (this.reported.delete(root)) this.log.info({ root }, 'git metadata watched again');
    return w;
  }

  /** One folder of `root`'s watch set: a change that matters reads git state once its burst settles. */
  private watchTarget(root: string, w: Watched, target: WatchTarget): FSWatcher {
    const watcher = this.watch(target.dir, (name) => {
      if (!matters(target, name)) return;
      w.timer ??= setTimeout(() => {
        w.timer = undefined;
        this.onChange(root);
      }, this.settleMs);
    });
    watcher.on('error', (err) => {
      if (this.followed.get(root) !== w) return;
      stop(w);
      this.followed.set(root, this.unwatchable(root, err, target.dir));
    });
    return watcher;
  }

  private unwatchable(root: string, err: unknown, dir: string): null {
    if (!this.reported.has(root)) {
      this.reported.add(root);
      this.log.warn(
        { err, root, dir },
        `cannot watch ${dir}: git state of ${root} is read on monitor.gitSchedule instead`,
      );
    }
    return null;
  }
}
