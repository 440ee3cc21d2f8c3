// What a process with no SQLite library says: src/sqlite/driver.ts found neither node:sqlite nor better-sqlite3's addon
// (a devDependency: only a clone on an older Node has it, so a person's one fix is a newer Node).
import { UserError } from '../errors/user.js';

/** Node versions whose node:sqlite needs no flag (22.13 and later). */
export const NODE_SQLITE_FROM = '22.13';

export const NO_DRIVER_FIX = `upgrade Node to ${NODE_SQLITE_FROM} or later, which has SQLite built in`;

/**
 * The fix on Claude Code's plugin route, where upgrading Node is not enough: the plugin runs the first `node` on PATH.
 */
export const PLUGIN_NO_DRIVER_FIX = `put a Node ${NODE_SQLITE_FROM} or later first on PATH (the plugin runs the node it finds there), then start a new session`;

/** No SQLite library can be loaded: what is missing and the fix, in one line. */
export class NoSqliteError extends UserError {
  constructor(readonly detail: string) {
    super(`no SQLite library: ${detail}; ${NO_DRIVER_FIX}`, 'failed', { fix: NO_DRIVER_FIX });
    this.name = 'NoSqliteError';
  }
}
