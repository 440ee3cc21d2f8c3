// The monitor's hold on the folder its code runs from. Claude Code marks a plugin version's folder `.orphaned_at` when
// the plugin is removed or updated to another version (and deletes it later); npm removes a package's folder. Either
// way this monitor's build is no longer installed: it stops, so removing the plugin leaves nothing running, and after
// an update the next session's SessionStart starts the new version's monitor.
import { existsSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

/** The file Claude Code writes into a plugin version's folder once no installed plugin uses it. */
export const ORPHANED_MARK = '.orphaned_at';

/** How often the folder is looked at where the platform gives no watch of it. */
const CHECK_EVERY_MS = 10_000;

/** Why the code at `root` is no longer installed, or undefined while it is. */
export function codeGoneBecause(root: string): string | undefined {
  if (existsSync(path.join(root, ORPHANED_MARK)))
    return `Claude Code marked the plugin folder ${root} unused (the plugin was removed or updated)`;
  if (!existsSync(path.join(root, 'package.json'))) return `${root} was removed`;
  return undefined;
}

/** Calls `onGone` once, with the reason, when the code at `root` is no longer installed. Returns the undo. */
export function watchCode(root: string, onGone: (why: string) => void): () => void {
  let done = false;
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    done = true;
    clearInterval(timer);
    watcher?.close();
  };
  const check = (): void => {
    if (done) return;
    const why = codeGoneBecause(root);
    if (!why) return;
    stop();
    onGone(why);
  };
  try {
    // The folder's own entries only: the code caches the hooks write below dist/ wake nothing.
    watcher = watch(root, { persistent: false }, check);
    watcher.on('error', check);
  } catch {
    timer = setInterval(check, CHECK_EVERY_MS);
    timer.unref();
  }
  check();
  return stop;
}
