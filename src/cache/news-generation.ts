// The news gate: a generation file in the state directory, bumped on every cache change that can make news (a
// snapshot written, patched, marked stale or failing), and a per-session file holding the generation that session was
// last told at. UserPromptSubmit compares the two with two file reads and exits when they match, before SQLite is
// even loaded: nothing new is the common case, and it runs before every prompt. Plain files only, on purpose.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { readTextIfPresent, SMALL_MAX_BYTES } from '../util/safe-read.js';
import type { Cache } from './cache.js';

export const newsGenerationFile = (home: string): string => path.join(home, 'news-generation');
const toldDir = (home: string): string => path.join(home, 'news-told');

/** Session ids are UUIDs; anything else that could walk out of the folder is refused rather than escaped. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;
export const isSafeSessionId = (id: string): boolean => SAFE_ID.test(id);

function readOrEmpty(file: string): string {
  return readTextIfPresent(file, SMALL_MAX_BYTES) ?? '';
}

/** Writes through a temporary file and a rename, so a reader sees the old generation or the new one, never half. */
function writeAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileAtomic(file, text, 0o600);
}

let bumps = 0;
/** Something that can make news changed in `cache`; a unique value, so two bumps never compare equal. */
export function bumpNewsGeneration(cache: Pick<Cache, 'home' | 'copy'>): void {
  // A copy in memory (a read-only state directory) changed nothing another process reads.
  if (cache.copy) return;
  writeAtomic(newsGenerationFile(cache.home), `${Date.now()}-${process.pid}-${++bumps}`);
}

/** '' when nothing has ever been bumped. */
export const readNewsGeneration = (home: string): string => readOrEmpty(newsGenerationFile(home));

/** The generation the session was last told at; '' when it never was (its first prompt sets its baseline). */
export const readToldGeneration = (home: string, sessionId: string): string =>
  readOrEmpty(path.join(toldDir(home), sessionId));

export function writeToldGeneration(home: string, sessionId: string, generation: string): void {
  writeAtomic(path.join(toldDir(home), sessionId), generation);
}

export function forgetToldGeneration(home: string, sessionId: string): void {
  rmSync(path.join(toldDir(home), sessionId), { force: true });
}
