// The monitor learns of commits, checkouts and staging from the file system instead of polling git: each followed
// repository's metadata folders are watched (inotify and the like: no timer runs while nothing changes).
import { watch as fsWatch, type FSWatcher } from 'node:fs';
import { gitWatchTargets, type WatchTarget } from '../git/metadata.js';
import type { Logger } from '../log/logger.js';

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
  const watch = opts.watch ?? nodeWatch;
  const settleMs = opts.settleMs ?? SETTLE_MS;
  /** null: followed, not watched. */
  const followed = new Map<string, Watched | null>();
  /** Roots whose failure to be watched was logged, so a poll retrying every few minutes does not repeat it. */
  const reported = new Set<string>();

  const stop = (w: Watched | null | undefined): void => {
    if (!w) return;
    clearTimeout(w.timer);
    for (const watcher of w.watchers) watcher.close();
  };

  const unwatchable = (root: string, err: unknown, dir: string): null => {
    if (!reported.has(root)) {
      reported.add(root);
      opts.log.warn(
        { err, root, dir },
        `cannot watch ${dir}: git state of ${root} is read on monitor.gitSchedule instead`,
      );
    }
    return null;
  };

  const start = (root: string): Watched | null => {
    const targets = gitWatchTargets(root);
    if (!targets) return null;
    const w: Watched = { key: JSON.stringify(targets), watchers: [] };
    const changed = (): void => {
      w.timer ??= setTimeout(() => {
        w.timer = undefined;
        opts.onChange(root);
      }, settleMs);
    };
    for (const target of targets) {
      try {
        const watcher = watch(target.dir, (name) => {
          if (matters(target, name)) changed();
        });
        watcher.on('error', (err) => {
          if (followed.get(root) !== w) return;
          stop(w);
          followed.set(root, unwatchable(root, err, target.dir));
        });
        w.watchers.push(watcher);
      } catch (err) {
        stop(w);
        return unwatchable(root, err, target.dir);
      }
    }
    if (reported.delete(root)) opts.log.info({ root }, 'git metadata watched again');
    return w;
  };

  return {
    follow(roots) {
      const wanted = new Set(roots);
      for (const [root, w] of followed) {
        if (wanted.has(root)) continue;
        stop(w);
        followed.delete(root);
        reported.delete(root);
      }
      for (const root of wanted) if (!followed.has(root)) followed.set(root, start(root));
    },
    retarget(root) {
      if (!followed.has(root)) return;
      const current = followed.get(root);
      const targets = gitWatchTargets(root);
      if (current && targets && current.key === JSON.stringify(targets)) return;
      const pending = current?.timer !== undefined;
      stop(current);
      followed.set(root, start(root));
      // A change seen just before the switch must not be lost with the old watchers.
      if (pending) opts.onChange(root);
    },
    unwatched: () => [...followed].filter(([, w]) => w === null).map(([root]) => root),
    close() {
      for (const w of followed.values()) stop(w);
      followed.clear();
    },
  };
}
