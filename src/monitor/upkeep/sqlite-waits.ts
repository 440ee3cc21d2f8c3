// How the monitor's own SQLite connections (cache.db, and tasks.db under its store server) wait, so that no hook does:
// each wait is a sleep of the monitor's one thread, during which every served hook waits too, and a PreToolUse that
// waits past its 5 s timeout is refused. A wait is short and fails; the caller degrades (a served hook answers from
// the snapshot it read), and the logs are folded off the thread (src/sqlite/checkpoints.ts).
import type { Cache } from '../../cache/cache.js';

/**
 * The longest a statement of the monitor waits for another process's lock: far above any write a hook or command
 * makes (milliseconds), far below a hook's deadline. SQLite's default of 5 s, the whole of PreToolUse's, was what
 * a fold in another process held every hook for.
 */
export const MONITOR_BUSY_TIMEOUT_MS = 500;

/** The options every connection the monitor holds opens with: short waits, and no fold inside its commits. */
export const MONITOR_SQLITE = { busyTimeoutMs: MONITOR_BUSY_TIMEOUT_MS, autoCheckpoint: false } as const;

/**
 * After a write waited its whole time and failed, how long the next ones do not wait (they are tried once, and fail at
 * once while the lock is still held): one hook's wait, not every hook's in turn, while another process holds the lock.
 */
export const BUSY_REST_MS = 2_000;

const isBusy = (err: unknown): boolean => /^SQLITE_BUSY/.test(String((err as { code?: unknown }).code));

/**
 * The cache with writes that wait once: a write that found the lock held past MONITOR_BUSY_TIMEOUT_MS makes the
 * writes of the next BUSY_REST_MS try without waiting, so a lock held for seconds costs the monitor's thread one wait
 * every few seconds instead of one per write. A write that succeeds ends the rest early.
 */
export function waitingOnce(cache: Cache, now: () => number = Date.now): Cache {
  let restUntil = 0;
  const write = <T>(fn: () => T): T => {
    const resting = now() < restUntil;
    if (resting) cache.db.pragma('busy_timeout = 0');
    try {
      const result = cache.write(fn);
      restUntil = 0;
      return result;
    } catch (err) {
      if (isBusy(err) && !resting) restUntil = now() + BUSY_REST_MS;
      throw err;
    } finally {
      if (resting) cache.db.pragma(`busy_timeout = ${MONITOR_BUSY_TIMEOUT_MS}`);
    }
  };
  return { ...cache, write };
}
