// How a path or a command line is shown to the person reading a message, help text or hint, in the words of their
// system: on Windows a real path (C:\Users\…) and words double-quoted, as both cmd.exe and PowerShell read them (cmd
// keeps single quotes as part of the word); elsewhere `~/…` for the home folder and POSIX shell quoting.
import os from 'node:os';
import path from 'node:path';
import { plainWindowsPath } from './windows-path.js';

/** Who reads: their system, environment and home folder. */
export interface Reader {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  homedir: string;
}

/** This process's reader, read at each call: a test that sets the environment sees its own. */
export const readerNow = (): Reader => ({ platform: process.platform, env: process.env, homedir: os.homedir() });

/** A path as the reader's system writes it: `~/…` under a POSIX home, a plain `C:\…` path on Windows. */
export function shownPath(p: string, reader: Reader = readerNow()): string {
  if (reader.platform === 'win32') return plainWindowsPath(p);
  const home = reader.homedir.replace(/\/+$/, '');
  if (home && p === home) return '~';
  return home && p.startsWith(`${home}/`) ? `~/${p.slice(home.length + 1)}` : p;
}

/**
 * A value as one word of a command printed for a person to paste: bare when it can be; on Windows double-quoted (a
 * quote inside as `\"`, backslashes before the closing quote doubled, as a program's argv parser reads them);
 * elsewhere single-quoted, inside which nothing expands (`$`, backslashes and double quotes stay as written).
 */
export function shellWord(v: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    if (/^[\w.@+=:,\\/-]+$/.test(v)) return v;
    return `"${v.replaceAll('"', '\\"').replace(/(\\+)$/, '$1$1')}"`;
  }
  return /^[\w.@%+=:,/-]+$/.test(v) ? v : `'${v.replaceAll("'", `'\\''`)}'`;
}

/** Words as one command line; on POSIX a leading `~/` (from shownPath) stays outside the quotes, so it expands. */
export function commandLine(words: readonly string[], platform: NodeJS.Platform = process.platform): string {
  const word = (w: string): string =>
    platform !== 'win32' && w.startsWith('~/') ? `~/${shellWord(w.slice(2), platform)}` : shellWord(w, platform);
  return words.map(word).join(' ');
}

/** `parts` under `base`, a folder of the reader's system, joined in its syntax and shown as shownPath shows it. */
export const shownUnder = (base: string, parts: readonly string[], reader: Reader = readerNow()): string =>
  shownPath((reader.platform === 'win32' ? path.win32 : path.posix).join(base, ...parts), reader);

/** `parts` under the reader's home folder: where an example names a folder of theirs. */
export const inHomeFolder = (parts: readonly string[], reader: Reader = readerNow()): string =>
  shownUnder(reader.homedir, parts, reader);
