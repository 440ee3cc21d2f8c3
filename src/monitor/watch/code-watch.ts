// The monitor's hold on the folder its code runs from. Claude Code marks a plugin version's folder `.orphaned_at` when
// the plugin is removed or updated to another version (and deletes it later); npm removes a package's folder. Either
// way this monitor's build is no longer installed: it stops, so removing the plugin leaves nothing running, and after
// an update the next session's plugin server starts the new version's monitor.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { watchUntil } from '../../util/watch-until.js';

/** The file Claude Code writes into a plugin version's folder once no installed plugin uses it. */
export const ORPHANED_MARK = '.orphaned_at';

/** Why the code at `root` is no longer installed, or undefined while it is. */
export function codeGoneBecause(root: string): string | undefined {
  if (existsSync(path.join(root, ORPHANED_MARK)))
    return `Claude Code marked the plugin folder ${root} unused (the plugin was removed or updated)`;
  if (!existsSync(path.join(root, 'package.json'))) return `${root} was removed`;
  return undefined;
}

/** Calls `onGone` once, with the reason, when the code at `root` is no longer installed. Returns the undo. */
export function watchCode(root: string, onGone: (why: string) => void): () => void {
  // The folder's own entries only: the code caches the hooks write below dist/ wake nothing.
  return watchUntil(root, () => codeGoneBecause(root), onGone);
}
