// better-sqlite3 behind the seam (src/sqlite/driver.ts): its Database already is the interface. Loaded at its first
// open only, so a process on node:sqlite never evaluates it, and one without it installed never misses it.
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import type { Db, OpenOptions } from './types.js';
import { NoSqliteError } from './no-driver.js';
import { nativeBinding } from './native.js';

/** The compiled addon's path, or undefined where install scripts never built it. */
export const betterAddon = nativeBinding;

let Database: typeof BetterSqlite3 | undefined;

// scripts/bundles.mjs turns this into a plain `require`, so the bundles compile better-sqlite3's JavaScript in.
const load = (): typeof BetterSqlite3 => createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;

export function openBetter(file: string | Buffer, options: OpenOptions): Db {
  Database ??= load();
  const binding = nativeBinding();
  try {
    return new Database(file, { ...options, ...(binding ? { nativeBinding: binding } : {}) });
  } catch (err) {
    // An addon built for another Node (one upgraded since the install) is as good as none.
    if ((err as { code?: unknown }).code === 'ERR_DLOPEN_FAILED')
      throw new NoSqliteError(
        `better-sqlite3's addon does not load on Node ${process.version} (${(err as Error).message.split('\n')[0]})`,
      );
    throw err;
  }
}
