// Size-based rotation for every log file: `hooks.log` → `hooks.log.1` → … → `hooks.log.<keep>`, the oldest dropped.
// Short-lived writers (hooks, the CLI) rotate when they open the file; long-lived ones (the monitor, `serve`, the
// stdio server) also between jobs or on a slow timer, then reopen.
import { renameSync, rmSync, statSync } from 'node:fs';

export interface LogLimits {
  /** A file larger than this is rotated. */
  maxBytes: number;
  /** Rotated generations kept besides the live file. */
  keep: number;
}

export const DEFAULT_LOG_LIMITS: LogLimits = { maxBytes: 10 * 1024 * 1024, keep: 3 };

/** Renames `from` to `to`; false when `from` is gone (a concurrent writer rotated it first). */
function shift(from: string, to: string): boolean {
  try {
    renameSync(from, to);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/**
 * Rotates `file` when it is over `limits.maxBytes`, then calls `reopen` (a writer holding the file open keeps writing
 * to the renamed one otherwise). Returns whether it rotated. Several hooks may find the same file too big at once:
 * whichever renames it first rotates it, and the others find nothing to move.
 */
export function rotateIfNeeded(file: string, limits: LogLimits, reopen?: () => void): boolean {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  if (size <= limits.maxBytes) return false;
  rmSync(`${file}.${limits.keep}`, { force: true });
  for (let i = limits.keep - 1; i >= 1; i--) shift(`${file}.${i}`, `${file}.${i + 1}`);
  if (!shift(file, `${file}.1`)) return false;
  reopen?.();
  return true;
}
