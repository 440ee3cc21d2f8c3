// A write-ahead log deleted while it held committed changes. SQLite cannot tell: it opens the main file as it was at
// the last checkpoint, and the changes since are silently gone. The -shm file left by the killed process still says
// how many frames the log held and how many had been copied back, which is enough to tell.
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';

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
  if (existsSync(`${file}-wal`)) return 0;
  let fd: number;
  try {
    fd = openSync(`${file}-shm`, 'r');
  } catch {
    return 0;
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
  if (read < READ_BYTES || (buf[IS_INIT] !== 1 && buf[HEADER_BYTES + IS_INIT] !== 1)) return 0;
  const u32 = (at: number): number => (endianness() === 'LE' ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  const mxFrame = Math.max(u32(MX_FRAME), u32(HEADER_BYTES + MX_FRAME));
  const backfilled = u32(N_BACKFILL);
  return mxFrame > backfilled ? mxFrame - backfilled : 0;
}
