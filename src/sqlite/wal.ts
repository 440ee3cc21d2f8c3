// A write-ahead log deleted while it held committed changes. SQLite cannot tell: it opens the main file as it was at
// the last checkpoint, and the changes since are silently gone. The -shm file left by the killed process still says
// how many frames the log held and how many had been copied back, which is enough to tell. And a log no process
// closes, kept from growing without end.
import { closeSync, constants, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { endianness } from 'node:os';
import type { Db } from './driver.js';

/** The wal-index header (two copies of 48 bytes) and the checkpoint info after them, as sqlite3's wal.c lays them out. */
const HEADER_BYTES = 48;
const READ_BYTES = 2 * HEADER_BYTES + 4;
const IS_INIT = 12;
const MX_FRAME = 16;
const N_BACKFILL = 96;

/**
 * How many committed frames the -shm of `file` says its write-ahead log held beyond what was checkpointed into the
 * file, when that log is gone; 0 when nothing was lost (no -shm, the log is there, or everything was copied back).
 * Only meaningful before the file is opened: opening it rebuilds the -shm from whatever log there is.
 */
export function lostWalFrames(file: string): number {
  return existsSync(`${file}-wal`) ? 0 : unfoldedWalFrames(file);
}

/**
 * How many frames of `file`'s write-ahead log are not yet folded into the file, as its -shm says (0 with no -shm).
 * Never in a process that holds the file open: closing the descriptor read here drops every POSIX lock the process
 * holds on the -shm, SQLite's included (src/sqlite/checkpoints.ts says what followed).
 */
export function unfoldedWalFrames(file: string): number {
  const index = readWalIndex(file);
  return index && index.mxFrame > index.backfilled ? index.mxFrame - index.backfilled : 0;
}

/** The frames the wal-index header says the log holds, and how many of them were copied back; undefined without one. */
function readWalIndex(file: string): { mxFrame: number; backfilled: number } | undefined {
  let fd: number;
  try {
    // Not blocking on a FIFO swapped in, and nothing but a regular file read.
    fd = openSync(`${file}-shm`, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    return undefined;
  }
  const buf = Buffer.alloc(READ_BYTES);
  let read: number;
  try {
    read = readSync(fd, buf, 0, READ_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  // Written in the machine's byte order. A writer killed mid-update leaves the two copies differing (the second is
  // written first): the larger frame count is the one that may have been committed.
  if (read < READ_BYTES || (buf[IS_INIT] !== 1 && buf[HEADER_BYTES + IS_INIT] !== 1)) return undefined;
  const u32 = (at: number): number => (endianness() === 'LE' ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  return { mxFrame: Math.max(u32(MX_FRAME), u32(HEADER_BYTES + MX_FRAME)), backfilled: u32(N_BACKFILL) };
}

/**
 * Past this, a connection that is left open at its process's end folds its log into the file (≈ 20 of a command's
 * writes to tasks.db, or about as many to cache.db).
 */
export const WAL_FOLD_BYTES = 1024 * 1024;

/**
 * For a connection its process leaves open at the end (src/cli/process-end.ts): once `file`'s write-ahead log holds
 * more than `maxBytes`, it is folded into the file and emptied (`wal_checkpoint(TRUNCATE)`). Without it, no process
 * closes the log: the next opener with no other connection rebuilds its index by reading all of it, which also
 * forgets what earlier checkpoints copied back, so SQLite never starts the log over and it grows without end. Never
 * waits: a reader elsewhere (the monitor) keeps it as it is, and that reader's process starts it over in time. Returns
 * whether the log was emptied.
 */
export function foldLargeWal(db: Db, file: string, maxBytes = WAL_FOLD_BYTES): boolean {
  const size = statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  if (size <= maxBytes || db.inTransaction) return false;
  const patience = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    // The copy first, which lets other writers on: TRUNCATE holds the write lock for all it copies, and a server's
    // writes (the monitor's, a hook's) would wait on it for as long as a large log takes to copy.
    db.pragma('wal_checkpoint(PASSIVE)');
    const [row] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    return row?.busy === 0;
  } finally {
    db.pragma(`busy_timeout = ${patience}`);
  }
}
