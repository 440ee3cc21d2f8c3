// The one way taskhooks reads a file a stranger may have put in its way: a repository's files (its .git, config files,
// .mcp.json) and the state directory's. A FIFO blocks a read forever, a device such as /dev/zero never ends, and a
// symlink committed to a repository survives a clone: such a file is refused with one line, never read.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/** Config files, the trust store, the validated-config cache. */
export const CONFIG_MAX_BYTES = 1024 * 1024;
/** Files that hold a line or two: HEAD, a ref, a `.git` file, tokens, the monitor's published facts. */
export const SMALL_MAX_BYTES = 64 * 1024;

/** What a path names once symlinks are followed; a 'symbolic link' only where it was not (lstat). */
export type PathKind =
  | 'file'
  | 'directory'
  | 'missing'
  | 'FIFO'
  | 'socket'
  | 'character device'
  | 'block device'
  | 'symbolic link';

export function kindOfStats(s: Stats | undefined): PathKind {
  if (!s) return 'missing';
  if (s.isFile()) return 'file';
  if (s.isDirectory()) return 'directory';
  if (s.isFIFO()) return 'FIFO';
  if (s.isSocket()) return 'socket';
  if (s.isSymbolicLink()) return 'symbolic link';
  return s.isCharacterDevice() ? 'character device' : 'block device';
}

/** The kind of what `p` names; 'missing' also when a folder on the way cannot be searched. Never opens it. */
export function pathKind(p: string): PathKind {
  try {
    return kindOfStats(statSync(p, { throwIfNoEntry: false }));
  } catch {
    return 'missing'; // ENOTDIR, ELOOP, EACCES on the way: nothing usable is there
  }
}

/**
 * A file that was not read: not a regular file (code ENOTREG, or EISDIR for a folder, as fs says it) or larger than
 * its cap (EFBIG). The message is the one line to show.
 */
export class RefusedFileError extends Error {
  constructor(
    readonly file: string,
    readonly code: 'ENOTREG' | 'EISDIR' | 'EFBIG',
    /** What it is, without the file's name: "a FIFO, not a regular file". */
    readonly reason: string,
  ) {
    super(`${file} is ${reason}, so it was not read`);
    this.name = 'RefusedFileError';
  }
}

const notRegular = (file: string, kind: PathKind): RefusedFileError =>
  new RefusedFileError(file, 'ENOTREG', `a ${kind}, not a regular file`);

function refuse(file: string, s: Stats, maxBytes: number): void {
  const kind = kindOfStats(s);
  if (kind === 'directory') throw new RefusedFileError(file, 'EISDIR', 'a directory, not a file');
  if (kind !== 'file') throw notRegular(file, kind);
  if (s.size > maxBytes) throw new RefusedFileError(file, 'EFBIG', `${s.size} bytes, over the ${maxBytes}-byte limit`);
}

const tooBig = (file: string, maxBytes: number): RefusedFileError =>
  new RefusedFileError(file, 'EFBIG', `over the ${maxBytes}-byte limit`);

/**
 * The bytes of the regular file `file` (symlinks followed), at most `maxBytes`. Throws fs's own errors (ENOENT,
 * EACCES, …) and RefusedFileError. The kind is checked before opening (opening some devices does something) and again
 * on the open descriptor, which O_NONBLOCK keeps from blocking on a FIFO swapped in between.
 */
export function readFileCapped(file: string, maxBytes: number): Buffer {
  refuse(file, statSync(file), maxBytes);
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const s = fstatSync(fd);
    refuse(file, s, maxBytes);
    // One byte over what the file holds tells a file that grew since from one that ended.
    let buf = Buffer.allocUnsafe(s.size + 1);
    let length = 0;
    for (;;) {
      if (length === buf.length) {
        if (length > maxBytes) throw tooBig(file, maxBytes);
        const grown = Buffer.allocUnsafe(Math.min(buf.length * 2, maxBytes + 1));
        buf.copy(grown, 0, 0, length);
        buf = grown;
      }
      const n = readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) throw tooBig(file, maxBytes);
    return buf.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * Refuses what sits at `file` when it is neither missing, a regular file nor a folder (a FIFO, a device, a socket, a
 * link), looked at without following or opening it: for a file that a reader which would block on a FIFO (SQLite, a
 * log's append) opens next. A folder is left to that reader, which fails on it at once.
 */
export function refuseSpecialFile(file: string): void {
  const kind = kindOfStats(lstatSync(file, { throwIfNoEntry: false }));
  if (kind !== 'missing' && kind !== 'file' && kind !== 'directory') throw notRegular(file, kind);
}

/** readFileCapped as UTF-8 text. */
export function readTextCapped(file: string, maxBytes: number): string {
  return readFileCapped(file, maxBytes).toString('utf8');
}

/**
 * readTextCapped, or undefined where nothing is at `file` (or a folder on its way is missing): for files that are
 * usually absent, which a hook looks for at every event. No error is made for them, which cost more than a read.
 */
export function readTextIfPresent(file: string, maxBytes: number): string | undefined {
  return statSync(file, { throwIfNoEntry: false }) && readTextCapped(file, maxBytes);
}

/** Why a read failed, for a message that names the file itself: fs's code, and what a refused file is. */
export function readFailure(err: unknown): string {
  if (err instanceof RefusedFileError) return `${err.code}: ${err.reason}`;
  return (err as NodeJS.ErrnoException).code ?? String(err);
}
