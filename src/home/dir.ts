// Where taskhooks keeps its state. Apart from the config loader (and the zod schema behind it) so that a hook
// served from the config cache can find its home without loading either.
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The state directory: TASKHOOKS_HOME, else a plugin's data dir, else ~/.taskhooks (on Windows os.homedir() is
 * %USERPROFILE%). Git Bash may give a Windows program a path as `/c/Users/me`: that is C:\Users\me there.
 */
export function resolveHome(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const explicit = (env.TASKHOOKS_HOME?.trim() || env.CLAUDE_PLUGIN_DATA?.trim())?.replace(
    /^\/([a-z])(?=\/)/i,
    (drive, letter: string) => (paths === path.win32 ? `${letter.toUpperCase()}:` : drive),
  );
  return paths.resolve(explicit || paths.join(os.homedir(), '.taskhooks'));
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
