import * as fs from 'node:fs';

/** The calls an atomic write makes; install's tests swap one for a failing one. */
export type AtomicWriteIo = Pick<typeof fs, 'writeFileSync' | 'chmodSync' | 'renameSync' | 'unlinkSync'>;

/**
 * Writes `text` next to `target` with `mode` and renames it over, so a reader — another hook, the CLI, a user's
 * editor — sees the old file or the new one, never half of one, and the file never exists with a wider mode.
 */
export function writeFileAtomic(target: string, text: string, mode: number, io: AtomicWriteIo = fs): void {
  const temp = `${target}.taskhooks-tmp-${process.pid}`;
  try {
    io.writeFileSync(temp, text, { mode, flag: 'w' });
    io.chmodSync(temp, mode);
    io.renameSync(temp, target);
  } catch (err) {
    try {
      io.unlinkSync(temp);
    } catch {
      // the temp file was never created
    }
    throw err;
  }
}
