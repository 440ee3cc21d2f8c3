import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A package.json's name and version, or undefined when it is missing or broken. */
function readPackage(dir: string): { name?: unknown; version?: unknown } | undefined {
  const file = path.join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
  } catch {
    return undefined; // an unrelated or broken package.json on the way up: not ours
  }
}

/**
 * The folder holding taskhooks' package.json, found by walking up from `fromUrl`: bundles (dist/, dist/chunks/,
 * dist/hooks/) and the sources sit at different depths below it.
 */
export function packageRoot(fromUrl: string = import.meta.url): string {
  let dir = path.dirname(fileURLToPath(fromUrl));
  for (;;) {
    if (readPackage(dir)?.name === 'taskhooks') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find taskhooks' package.json above ${fileURLToPath(fromUrl)}`);
    dir = parent;
  }
}

let version: string | undefined;

/** taskhooks' version, for `--version`, the MCP client's and the server's introductions. */
export function packageVersion(): string {
  if (version === undefined) {
    let found: unknown;
    try {
      found = readPackage(packageRoot())?.version;
    } catch {
      found = undefined; // a copy of the code outside its package: say so rather than fail
    }
    version = typeof found === 'string' ? found : 'unknown';
  }
  return version;
}
