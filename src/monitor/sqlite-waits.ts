// How the monitor's own SQLite connections (cache.db, and tasks.db under its store server) wait, so that no hook does:
// each wait is a sleep of the monitor's one thread, during which every served hook waits too, and a PreToolUse that
// waits past its 5 s timeout is refused. A wait is short and fails; the caller degrades (a served hook answers from
// the snapshot it read), and the logs are folded off the thread (src/sqlite/checkpoints.ts).

/**
 * The longest a statement of the monitor waits for another process's lock: far above any write a hook or command
 * makes (milliseconds), far below a hook's deadline. SQLite's default of 5 s, the whole of PreToolUse's, was what
 * a fold in another process held every hook for.
 */
export const MONITOR_BUSY_TIMEOUT_MS = 500;

/** The options every connection the monitor holds opens with: short waits, and no fold inside its commits. */
export const MONITOR_SQLITE = { busyTimeoutMs: MONITOR_BUSY_TIMEOUT_MS, autoCheckpoint: false } as const;
