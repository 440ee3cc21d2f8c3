// Removing what a test's processes wrote in, when one of them may still be writing there.
import { rmSync } from 'node:fs';
import { homeOfProcess } from '../../src/home/stop.js';
import { isWithin, namesIn } from '../../src/util/dir.js';

/** How long a removal waits for the hooks and monitors still running in the folder. */
const LATE_WRITERS_WAIT_MS = 10_000;

/**
 * This user's processes whose TASKHOOKS_HOME lies in `dir`: a hook or a monitor of a test's, still running (read from
 * Linux's /proc; none where there is no /proc).
 */
function writersIn(dir: string): string[] {
  return namesIn('/proc').filter((pid) => {
    const home = /^\d+$/.test(pid) ? homeOfProcess(Number(pid)) : undefined;
    return home !== undefined && isWithin(home, dir);
  });
}

/**
 * Removes a folder a test's processes wrote in. SessionEnd runs async, so its hook may still run after Claude Code
 * exits, and write into the state directory after the folder was removed (making it again, with a cache in it): the
 * removal waits, bounded, for the hooks and monitors whose state directory lies there. A file made while the folder
 * is emptied fails the last rmdir (ENOTEMPTY), and rmSync's own retries retry only that rmdir, so the whole removal is
 * tried again.
 */
export async function removeTree(dir: string): Promise<void> {
  for (const until = Date.now() + LATE_WRITERS_WAIT_MS; writersIn(dir).length > 0 && Date.now() < until; )
    await new Promise((r) => setTimeout(r, 100));
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
