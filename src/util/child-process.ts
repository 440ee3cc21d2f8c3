// Starting a child: node:child_process on first use, by `require`: it costs a hook ~5 ms to load, which a hook served
// from the cache never pays; and an `import()` of it from a CommonJS hook bundle would start the ES module loader
// besides. And the folders a PATH names that a program may be looked for in: its absolute entries. An empty or
// relative entry (`:/usr/bin`, `.`) is the working folder or one below it, and taskhooks works in folders a stranger's
// clone may fill. Apart from ./executable.ts so that the hooks' bundles, which hand children a PATH, carry no more.
import { createRequire } from 'node:module';
import path from 'node:path';

export const childProcess = (): typeof import('node:child_process') =>
  createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');

/** The folders of a PATH value that are searched: its absolute entries, in order. */
export function searchedFolders(value: string, paths: path.PlatformPath): string[] {
  return value.split(paths.delimiter).filter((dir) => paths.isAbsolute(dir));
}

/**
 * `value`, a PATH, with only its absolute entries: what a child is handed, so that its own lookups (git running its
 * helpers, a shell) never reach the working folder either. undefined when none is left, for the child then to have no
 * PATH: an empty one would mean the working folder again.
 */
export function absolutePathValue(value: string, paths: path.PlatformPath = path): string | undefined {
  const kept = searchedFolders(value, paths);
  return kept.length > 0 ? kept.join(paths.delimiter) : undefined;
}

/**
 * A variable as a child is handed it: a PATH (any case, as Windows spells it `Path`) with only its absolute entries,
 * undefined when none is left; any other as it is.
 */
export function childValue(name: string, value: string, platform = process.platform): string | undefined {
  return /^path$/i.test(name) ? absolutePathValue(value, platform === 'win32' ? path.win32 : path.posix) : value;
}

/** `env` for a child handed the whole of it: the same, its PATH with only its absolute entries. */
export function withAbsolutePath(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    const kept = value === undefined ? undefined : childValue(name, value);
    if (kept !== undefined) out[name] = kept;
  }
  return out;
}
