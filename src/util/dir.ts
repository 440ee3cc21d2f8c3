import { readdirSync } from 'node:fs';
import path from 'node:path';

/** The names in folder `dir`; none when it does not exist (yet) or cannot be read. */
export function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Whether path `p` is `root` or lies below it (both absolute, compared as written). */
export function isWithin(p: string, root: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
