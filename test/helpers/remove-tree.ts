// Removing what a test's processes wrote in, when one of them may still be writing there.
import { rmSync } from 'node:fs';

/**
 * Removes a folder a test's processes wrote in. SessionEnd runs async, so its hook may still write into the state
 * directory after Claude Code exits: a file made while the folder is emptied fails the last rmdir (ENOTEMPTY), and
 * rmSync's own retries retry only that rmdir, so the whole removal is tried again.
 */
export async function removeTree(dir: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      rmSync(dir, { recursive: true, force: true });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOTEMPTY' || attempt === 40) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
