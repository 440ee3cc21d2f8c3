// Where taskhooks keeps its state. Apart from the config loader (and the zod schema behind it) so that a hook
// served from the config cache can find its home without loading either.
import { chmodSync, existsSync, mkdirSync, type Stats, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { namesIn } from '../util/dir.js';
import { type Reader, readerNow, shownUnder } from '../util/shown.js';

/**
 * The state directory: TASKHOOKS_HOME, else ~/.taskhooks (on Windows os.homedir() is %USERPROFILE%), for the plugin
 * too: Claude Code deletes a plugin's data folder when it uninstalls the plugin, and both routes read the same tasks.
 * Git Bash may give a Windows program a path as `/c/Users/me`: that is C:\Users\me there.
 */
export function resolveHome(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
  homedir = os.homedir(),
): string {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const explicit = env.TASKHOOKS_HOME?.trim()?.replace(/^\/([a-z])(?=\/)/i, (drive, letter: string) =>
    paths === path.win32 ? `${letter.toUpperCase()}:` : drive,
  );
  return paths.resolve(explicit || paths.join(homedir, '.taskhooks'));
}

/** `parts` in the reader's state directory, as a message names it for them (shownPath: `~/.taskhooks/…`, `C:\…`). */
export const shownHome = (parts: readonly string[] = [], reader: Reader = readerNow()): string =>
  shownUnder(resolveHome(reader.env, reader.platform, reader.homedir), parts, reader);

/**
 * Creates the state directory (0700) if needed; it holds tokens, so nobody else may read it. One made by another
 * program (an agent's plugin data folder, made under its umask) loses what it grants others when it is this user's, and
 * keeps what it grants the owner (a folder made read-only stays so). On Windows
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

/**
 * The plugin data folders where an earlier release of the plugin kept its whole state, tasks.db among it: the running
 * plugin's (CLAUDE_PLUGIN_DATA), and for the default home each taskhooks plugin's under Claude Code's config folder.
 */
export function pluginDataFolders(home: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const found = new Set<string>();
  const given = env.CLAUDE_PLUGIN_DATA?.trim();
  if (given) found.add(path.resolve(given));
  // Another home (a test's, a second person's TASKHOOKS_HOME) adopts only the plugin it runs under.
  if (path.resolve(home) === path.join(os.homedir(), '.taskhooks')) {
    const data = path.join(env.CLAUDE_CONFIG_DIR?.trim() || path.join(os.homedir(), '.claude'), 'plugins', 'data');
    for (const name of namesIn(data)) if (name.startsWith('taskhooks-')) found.add(path.join(data, name));
  }
  found.delete(path.resolve(home));
  return [...found];
}

/** Left beside an earlier plugin release's tasks.db once it was moved into the state directory (or could not be). */
export const MOVED_NOTE = 'tasks.db.moved.json';

/** The tasks.db of each earlier plugin release's data folder (pluginDataFolders) not moved into `home` yet. */
export function earlierPluginStores(home: string, env: NodeJS.ProcessEnv = process.env): string[] {
  return pluginDataFolders(home, env)
    .filter((f) => existsSync(path.join(f, 'tasks.db')) && !existsSync(path.join(f, MOVED_NOTE)))
    .map((f) => path.join(f, 'tasks.db'));
}
