import { readdirSync } from 'node:fs';

/** The names in folder `dir`; none when it does not exist (yet) or cannot be read. */
export function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
