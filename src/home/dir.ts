// Where taskhooks keeps its state. Apart from the config loader (and the zod schema behind it) so that a hook
// served from the config cache can find its home without loading either.
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The state directory: TASKHOOKS_HOME, else a plugin's data dir, else ~/.taskhooks. */
export function resolveHome(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.TASKHOOKS_HOME?.trim() || env.CLAUDE_PLUGIN_DATA?.trim();
  return path.resolve(explicit || path.join(os.homedir(), '.taskhooks'));
}

/** Creates the state directory (0700) if needed; it holds tokens, so nobody else may read it. */
export function ensureHome(home: string): void {
  let created = false;
  try {
    statSync(home);
  } catch {
    mkdirSync(home, { recursive: true, mode: 0o700 });
    created = true;
  }
  if (created) chmodSync(home, 0o700);
}
