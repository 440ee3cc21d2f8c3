// Where better-sqlite3's compiled addon is, found once per process.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ADDON = path.join('better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

let addonPath: string | null | undefined;

/** The addon in the nearest node_modules above this module, as Node's lookup walks: a few stats, ~1 ms less than require.resolve. */
function nearestAddon(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'node_modules', ADDON);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * better-sqlite3's own addon lookup (the `bindings` package) probes a dozen paths and parses a stack trace on every
 * process start; finding the one file ourselves is cheaper. Undefined sends better-sqlite3 back to that lookup, for
 * unusual installs.
 */
export function nativeBinding(): string | undefined {
  if (addonPath === undefined) {
    try {
      const found = nearestAddon();
      if (found) addonPath = found;
      else {
        const pkg = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
        const addon = path.join(path.dirname(path.dirname(pkg)), ADDON);
        addonPath = existsSync(addon) ? addon : null;
      }
    } catch {
      addonPath = null;
    }
  }
  return addonPath ?? undefined;
}
