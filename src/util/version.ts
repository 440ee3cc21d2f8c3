import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** taskhooks' version from the nearest package.json: bundles (dist/, dist/chunks/) and sources sit at different depths. */
export function packageVersion(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++, dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'taskhooks' && pkg.version) return (cached = pkg.version);
    } catch {
      // no package.json at this level: keep walking up
    }
  }
  return (cached = 'unknown');
}
