// Where taskhooks keeps its state. Apart from the config loader (and the zod schema behind it) so that a hook
// served from the config cache can find its home without loading either.
import { chmodSync, mkdirSync, type Stats, statSync } from 'node:fs';
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

/**
 * Creates the state directory (0700) if needed; it holds tokens, so nobody else may read it. One made by another
 * program (an agent's plugin data folder, made under its umask) loses what it grants others when it is this user's, and
keeps what it grants the owner (a folder made read-only stays so). On Windows
 * its ACL does this, set when its first token is made (owner-only.ts).
 */
export function ensureHome(home: string, platform: NodeJS.Platform = process.platform): void {
  let found: Stats | undefined;
  try {
    found = statSync(home);
  } catch {
    mkdirSync(home, { recursive: true, mode: 0o700 });
  }
  if (!found) chmodSync(home, 0o700);
  else if (platform !== 'win32' && found.mode & 0o077 && found.uid === process.getuid?.())
    chmodSync(home, found.mode & 0o700);
}
