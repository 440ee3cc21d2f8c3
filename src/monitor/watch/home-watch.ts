// The monitor's hold on its state directory: deleted, replaced by another directory, or its lock taken over (a second
// monitor started in a home made again), the monitor must stop, or two would run for one home.
import { statSync, type Stats } from 'node:fs';
import { homeFiles } from '../../home/files.js';
import { watchUntil } from '../../util/watch-until.js';

/** Changes heard in a burst (a removal and a rewrite) are checked once, this long after the first. */
const SETTLE_MS = 100;

/** Why the home is no longer this monitor's, or undefined while it is. */
function lostBecause(home: string, first: Stats, holds: () => boolean): string | undefined {
  let now: Stats;
  try {
    now = statSync(home);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return `${home} was deleted`;
    return undefined; // unreadable for a moment (permissions being changed): asked again at the next check
  }
  if (now.ino !== first.ino || now.dev !== first.dev) return `${home} was deleted and made again`;
  if (!holds()) return `the lock ${homeFiles(home).lock} no longer names this monitor`;
  return undefined;
}

/**
 * Calls `onLost` once, with the reason, when `home` is no longer the directory `first` identifies (deleted or
 * replaced) or `holds` turns false; looks on every change heard to the home's lock file (on a timer where it cannot
 * be watched), and once at the start. Returns the undo.
 */
export function watchHome(home: string, first: Stats, holds: () => boolean, onLost: (why: string) => void): () => void {
  // Deleting or replacing the home removes its lock file first, and another monitor's lock rewrites it: the lock file
  // alone is watched, so the monitor's own writes in the home (the cache's every write) wake nothing. The home may
  // have gone while the monitor started, before any watch could hear it: the first ask says so.
  return watchUntil(homeFiles(home).lock, () => lostBecause(home, first, holds), onLost, SETTLE_MS);
}
