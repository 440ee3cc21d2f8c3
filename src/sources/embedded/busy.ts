// A command's own write to tasks.db while another connection (the monitor's store server, a restore) holds the write
// lock past SQLite's busy wait.
import { UserError } from '../../errors/user.js';
import { sleep } from '../../util/deadline.js';

/** How long a write keeps asking while another connection holds the store's write lock past SQLite's busy wait. */
const BUSY_PATIENCE_MS = 60_000;

/**
 * Runs `write` again while the store answers SQLITE_BUSY: a writer elsewhere (the monitor's store server, a restore)
 * may hold the lock past one busy wait, and a BUSY write began nothing, so asking again is safe.
 */
export async function outlastingBusy<T>(file: string, write: () => Promise<T>): Promise<T> {
  const until = Date.now() + BUSY_PATIENCE_MS;
  for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
    try {
      return await write();
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'SQLITE_BUSY') throw err;
      if (Date.now() + wait > until)
        throw new UserError(
          `${file} stayed locked by another writer for ${BUSY_PATIENCE_MS / 1000} s, so nothing was written: run the command again (\`taskhooks monitor status\` shows what the monitor is doing)`,
          1,
          { cause: err },
        );
      await sleep(wait);
    }
  }
}
