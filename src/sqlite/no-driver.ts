// What a process with no SQLite library says: src/sqlite/driver.ts found neither node:sqlite nor better-sqlite3's addon.
import { UserError } from '../errors/user.js';

/** Node versions whose node:sqlite needs no flag (22.13 and later). */
export const NODE_SQLITE_FROM = '22.13';

export const NO_DRIVER_FIX = `upgrade Node to ${NODE_SQLITE_FROM} or later (it has SQLite built in), or run \`npm rebuild better-sqlite3\` where taskhooks is installed`;

/**
 * The fix on Claude Code's plugin route, where there is no package of the person's to rebuild: the plugin runs the
 * first `node` on PATH.
 */
export const PLUGIN_NO_DRIVER_FIX = `put a Node ${NODE_SQLITE_FROM} or later first on PATH (the plugin runs the node it finds there), then start a new session`;

/** No SQLite library can be loaded: what is missing and the fix, in one line. */
export class NoSqliteError extends UserError {
  constructor(readonly detail: string) {
    super(`no SQLite library: ${detail}; ${NO_DRIVER_FIX}`, 'failed', { fix: NO_DRIVER_FIX });
    this.name = 'NoSqliteError';
  }
}
