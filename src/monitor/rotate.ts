import { renameSync, rmSync, statSync } from 'node:fs';

/**
 * Size-based rotation for the daemon's own log: monitor.log → monitor.log.1 → … → monitor.log.<keep>, the oldest
 * dropped. `reopen` points the logger at a fresh file. Returns whether it rotated.
 */
export function rotateIfNeeded(file: string, maxBytes: number, keep: number, reopen: () => void): boolean {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return false;
  }
  if (size <= maxBytes) return false;
  rmSync(`${file}.${keep}`, { force: true });
  for (let i = keep - 1; i >= 1; i--) {
    try {
      renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    } catch {
      // that generation does not exist yet
    }
  }
  renameSync(file, `${file}.1`);
  reopen();
  return true;
}
