// The hooks and the status line in a state directory they cannot write (a read-only mount, another user's folder):
// they answer from a copy of the cache in memory, or from an empty one that says why, rather than not at all. What
// they write goes to the copy and ends with the process, since it has nowhere to go.
import { accessSync, constants, existsSync, statfsSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureHome } from '../home/dir.js';
import { homeFiles } from '../home/files.js';
import { OtherBuildHoldsError } from '../home/monitor-info.js';
import { stateDirProblem, unwritableReason } from '../home/unwritable.js';
import { openImage, readImage, type Db } from '../sqlite/index.js';
import { RefusedFileError } from '../util/safe-read.js';
import { cacheOn, openCache, type Cache, type OpenCacheOptions } from './cache.js';
import { MIGRATIONS } from './migrations.js';

type Problem = { what: string; fix: string };

/**
 * What is wrong with the state directory `home` and the fix, when it cannot be written; else undefined. Asked
 * before SQLite: on a read-only mount it opens a WAL file whose -shm exists read-only without a word, and fails
 * only at the first write.
 */
export function unwritableHome(home: string): Problem | undefined {
  try {
    accessSync(home, constants.W_OK);
    return undefined;
  } catch (err) {
    return stateDirProblem(err, home);
  }
}

/**
 * Below this much free space the state directory counts as full: SQLite opens a full disk's cache without a word and
 * fails at the first write (a hook writes before it answers), so the room is looked at first, one statfs.
 */
const FULL_BELOW_BYTES = 512 * 1024;

/** The full disk under `home` and the fix, when it has less room than a write needs; else undefined. */
function fullHome(home: string): Problem | undefined {
  let free: number;
  try {
    const fs = statfsSync(home);
    free = fs.bavail * fs.bsize;
  } catch {
    return undefined; // no such directory yet (it is made next), or no statfs here: the open says what is wrong
  }
  return free < FULL_BELOW_BYTES ? stateDirProblem({ code: 'ENOSPC' }, home) : undefined;
}

/** Leaves the mark of a full disk (an empty file takes no room) for the first run that finds space again. */
function markFull(options: OpenCacheOptions): void {
  try {
    writeFileSync(homeFiles(options.home).diskFull, '', { mode: 0o600 });
  } catch (err) {
    options.log?.debug({ err }, 'could not leave the full-disk mark: its end will not be logged');
  }
}

/** The one line saying space came back, by the one run that removes the mark. */
function spaceReturned(options: OpenCacheOptions): void {
  const mark = homeFiles(options.home).diskFull;
  if (!existsSync(mark)) return;
  try {
    unlinkSync(mark);
  } catch {
    return; // another run removed it first, and said so
  }
  options.log?.info({ home: options.home }, 'space returned to the state directory: hooks write the cache again');
}

function whyUnread(file: string, err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return `there is no ${path.basename(file)} yet`;
  const reason = unwritableReason(err);
  return `${path.basename(file)}: ${reason ?? (err as Error).message}`;
}

/**
 * The cache for a process that can do without writing it: the file itself when the state directory takes writes (a
 * missing one is made), else a copy in memory of what can be read, its `copy` saying why. Any other failure is
 * thrown as it came.
 */
export function openCacheOrCopy(options: OpenCacheOptions): Cache {
  const problem = unwritableHome(options.home);
  if (problem) return copyOfCache(options, problem);
  const full = fullHome(options.home);
  if (full) {
    markFull(options);
    return copyOfCache(options, full);
  }
  spaceReturned(options);
  try {
    ensureHome(options.home);
    return openCache(options);
  } catch (err) {
    // Its schema is behind this build's and a monitor of another build holds it: read a copy, migrated in memory.
    if (err instanceof OtherBuildHoldsError) return copyOfCache(options, { what: err.what, fix: err.fix });
    if (err instanceof RefusedFileError)
      return copyOfCache(options, { what: err.message, fix: `remove ${err.file}: taskhooks makes the cache again` });
    // A folder that could not be made, a disk that filled up: the folder's own answer names the cause best.
    const found = unwritableHome(options.home) ?? stateDirProblem(err, options.home);
    if (!found) throw err;
    options.log?.warn({ err }, 'the cache could not be opened for writing');
    if (/full|space|quota/.test(found.what)) markFull(options);
    return copyOfCache(options, found);
  }
}

function copyOfCache(options: OpenCacheOptions, problem: Problem): Cache {
  const file = options.file ?? homeFiles(options.home).cache;
  let unread: string | undefined;
  let db: Db;
  try {
    db = openImage(readImage(file), MIGRATIONS);
  } catch (readErr) {
    unread = whyUnread(file, readErr);
    db = openImage(undefined, MIGRATIONS);
  }
  const because = `${problem.what}; ${problem.fix}`;
  options.log?.warn({ file, unread }, `answering from a copy of the cache in memory: ${because}`);
  return cacheOn(db, file, options.home, {
    read: unread === undefined,
    problem:
      unread === undefined
        ? `tasks as last cached, not refreshed: ${because}`
        : `the cache could not be read (${unread}): ${because}`,
  });
}
