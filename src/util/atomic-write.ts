import * as fs from 'node:fs';
import { pause } from './file-lock.js';

/** The calls an atomic write makes; install's tests swap one for a failing one. */
export type AtomicWriteIo = Pick<typeof fs, 'writeFileSync' | 'chmodSync' | 'renameSync' | 'unlinkSync'>;

/**
 * Renames `from` over `to`. Windows refuses to replace a file another process has open (a hook reading monitor.json,
 * say) until it is closed, which readers do within milliseconds: there it is tried again for about 1.3 s.
 */
function renameOver(io: AtomicWriteIo, from: string, to: string): void {
  for (let ms = 5; process.platform === 'win32' && ms <= 640; ms *= 2) {
    try {
      io.renameSync(from, to);
      return;
    } catch (err) {
      // EPERM, EACCES or EBUSY; a test of undefined (no code) fails.
      if (!/PERM|ACCES|BUSY/.test((err as { code: string }).code)) throw err;
      pause(ms);
    }
  }
  io.renameSync(from, to);
}

/**
 * Writes `text` next to `target` with `mode` and renames it over, so a reader — another hook, the CLI, a user's
 * editor — sees the old file or the new one, never half of one, and the file never exists with a wider mode.
 */
export function writeFileAtomic(target: string, text: string, mode: number, io: AtomicWriteIo = fs): void {
  const temp = `${target}.taskhooks-tmp-${process.pid}`;
  try {
    io.writeFileSync(temp, text, { mode, flag: 'w' });
    io.chmodSync(temp, mode);
    renameOver(io, temp, target);
  } catch (err) {
    try {
      io.unlinkSync(temp);
    } catch {
      // the temp file was never created
    }
    throw err;
  }
}
