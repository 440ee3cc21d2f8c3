// The folders install made for the files it wrote (.codex/, .gemini/, .qwen/, .github/hooks/, ~/.copilot/, an
// OpenCode config folder…), kept in the state directory: uninstall removes one only when install made it and nothing
// is left in it, so a folder the user had, or one holding anything else, always stays.
import { readdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { homeFiles } from '../../home/files.js';
import type { Logger } from '../../log/logger.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { plainWindowsPath } from '../../util/windows-path.js';
import { withWriteLock } from '../../files/write-lock.js';
import { CONFIG_MAX_BYTES, readTextCapped } from '../../util/safe-read.js';

/**
 * The folders `mkdirSync(dir, {recursive})` made, from the first it made (`first`) down to `dir`. On Windows Node
 * answers that first folder in its long-path form (`\\?\C:\…`): read as the plain path `dir` is written in.
 */
export function foldersMade(first: string | undefined, dir: string, platform = process.platform): string[] {
  if (first === undefined) return [];
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const top = platform === 'win32' ? plainWindowsPath(first) : first;
  const made: string[] = [];
  for (let d = dir; d.length >= top.length; d = paths.dirname(d)) {
    made.unshift(d);
    if (d === top || paths.dirname(d) === d) break;
  }
  return made;
}

function readRecord(home: string, log: Logger): string[] {
  let text: string;
  try {
    text = readTextCapped(homeFiles(home).installFolders, CONFIG_MAX_BYTES);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn({ err }, 'cannot read the folders install made');
    return [];
  }
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch (err) {
    log.warn({ err }, 'the record of the folders install made is not JSON: starting a new one');
    return [];
  }
}

const writeRecord = (home: string, folders: readonly string[]): void =>
  writeFileAtomic(homeFiles(home).installFolders, `${JSON.stringify([...new Set(folders)].sort(), null, 2)}\n`, 0o600);

/** Adds the folders this install made to the record. */
export function recordFoldersMade(home: string, made: readonly string[], log: Logger): void {
  if (made.length === 0) return;
  // Under the record's lock: another install at once keeps the folders it made.
  withWriteLock(homeFiles(home).fileLocks, homeFiles(home).installFolders, () =>
    writeRecord(home, [...readRecord(home, log), ...made]),
  );
}

/** The recorded folders above `file`, nearest first: those uninstall may take out once empty. */
function recordedAbove(file: string, record: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let d = path.dirname(file); record.has(d); d = path.dirname(d)) out.push(d);
  return out;
}

/** The folders install made above `files` (nearest first), for a dry run to name. */
export function foldersMadeAbove(home: string, files: readonly string[], log: Logger): string[] {
  const record = new Set(readRecord(home, log));
  return [...new Set(files.flatMap((f) => recordedAbove(f, record)))];
}

/**
 * After uninstall removed `files`: each folder install made above them that is now empty is removed, nearest first,
 * and leaves the record. Returns the folders removed.
 */
export function removeFoldersMade(home: string, files: readonly string[], log: Logger): string[] {
  // None recorded above them: nothing to remove, and no lock to take.
  if (foldersMadeAbove(home, files, log).length === 0) return [];
  return withWriteLock(homeFiles(home).fileLocks, homeFiles(home).installFolders, () =>
    removeRecorded(home, files, log),
  );
}

function removeRecorded(home: string, files: readonly string[], log: Logger): string[] {
  const record = new Set(readRecord(home, log));
  const removed: string[] = [];
  // Deepest first: a folder's own sub-folders go before it is looked at.
  const candidates = [...new Set(files.flatMap((f) => recordedAbove(f, record)))].sort((a, b) => b.length - a.length);
  for (const dir of candidates) {
    try {
      if (readdirSync(dir).length > 0) continue; // something else lives there now: it stays, and stays recorded
      rmdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        log.warn({ err, dir }, 'cannot remove a folder install made');
        continue;
      }
    }
    record.delete(dir);
    removed.push(dir);
  }
  if (removed.length > 0) writeRecord(home, [...record]);
  return removed;
}
