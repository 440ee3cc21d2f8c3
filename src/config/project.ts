import { existsSync } from 'node:fs';
import path from 'node:path';

/** `.claude/taskhooks.json` from `cwd` up to the git root (inclusive), the nearest one winning. */
export function findProjectConfigFile(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    const candidate = path.join(dir, '.claude', 'taskhooks.json');
    if (existsSync(candidate)) return candidate;
    if (existsSync(path.join(dir, '.git'))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
