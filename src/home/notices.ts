// Things a person must hear about once, whichever process they next meet: the next session's context and the next
// CLI command each take their own copy. A file per notice per channel, so taking one is a rename (only one process
// wins it) and the common case — nothing to tell — costs one failed directory read.
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { namesIn } from '../util/dir.js';
import { readTextCapped, SMALL_MAX_BYTES } from '../util/safe-read.js';
import { homeFiles } from './files.js';

export type NoticeChannel = 'session' | 'cli';
const CHANNELS: readonly NoticeChannel[] = ['session', 'cli'];
const TAKEN = '.taken-';
/** A notice told to a session is kept as `<name>.told-<when>-<session id>` (notices-told.ts). */
export const TOLD = '.told-';

/** Leaves `text` (one line) for the next session and the next CLI command to tell. */
export function postNotice(home: string, text: string, now = Date.now()): void {
  const name = `${now}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.txt`;
  for (const channel of CHANNELS) {
    const dir = path.join(homeFiles(home).notices, channel);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // A reader never takes half a line: it takes only names ending in .txt, and the temp file's does not.
    writeFileAtomic(path.join(dir, name), `${text}\n`, 0o600);
  }
}

/**
 * The notices not yet told on `channel`, oldest first; each is gone once returned, unless `keep` (a preview). Told to
 * `session`, each is kept a while as told to it: the monitor that took it may have answered too late (notices-told.ts).
 */
export function takeNotices(home: string, channel: NoticeChannel, keep = false, session?: string): string[] {
  const dir = path.join(homeFiles(home).notices, channel);
  const told: string[] = [];
  for (const name of namesIn(dir)
    .filter((n) => n.endsWith('.txt'))
    .sort()) {
    if (keep) {
      try {
        told.push(readTextCapped(path.join(dir, name), SMALL_MAX_BYTES).trim());
      } catch {
        // taken meanwhile, or not a notice this code wrote
      }
      continue;
    }
    const mine = path.join(dir, `${name}${session ? `${TOLD}${Date.now()}-${session}` : `${TAKEN}${process.pid}`}`);
    const text = takeNoticeFile(path.join(dir, name), mine, session !== undefined);
    if (text !== undefined) told.push(text);
  }
  return told;
}

/**
 * Takes notice `file` by renaming it to `mine` (only one process wins it) and returns its text, or undefined when
 * another process took it first; `mine` is removed then, unless `kept` (told to a session, notices-told.ts).
 */
export function takeNoticeFile(file: string, mine: string, kept = false): string | undefined {
  try {
    renameSync(file, mine);
  } catch {
    return undefined;
  }
  let text: string;
  try {
    text = readTextCapped(mine, SMALL_MAX_BYTES).trim();
  } catch (err) {
    text = `a notice could not be read: ${(err as Error).message}`;
  }
  if (!kept) rmSync(mine, { force: true });
  return text;
}
