// What a session's work record is made from, kept beside what it was told (table session_injections) while it lives:
// the commit HEAD stood on when it started, and every task it held, even one it let go of before it ended.
import type { Cache } from './cache.js';

const START_HEAD_KEY = 'work:start-head';
const TASK_PREFIX = 'work:task:';

const KEEP_FIRST =
  'INSERT INTO session_injections (session_id, key, value, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(session_id, key) DO NOTHING';

/**
 * The commit the session started on (call inside the session's registration write); a later start of the same session
 * (a resume, /compact) keeps the first.
 */
export function noteStartHead(cache: Cache, sessionId: string, head: string, at: number): void {
  cache.db.prepare(KEEP_FIRST).run(sessionId, START_HEAD_KEY, head, at);
}

/** The session held `taskId` (call inside the claim's write): its record is made for it when the session ends. */
export function noteWorkedTask(cache: Cache, sessionId: string, taskId: string, at: number): void {
  cache.db.prepare(KEEP_FIRST).run(sessionId, `${TASK_PREFIX}${taskId}`, String(at), at);
}

export interface SessionWork {
  startHead?: string;
  /** The tasks it held, in the order it took them. */
  taskIds: string[];
}

export function sessionWork(cache: Cache, sessionId: string): SessionWork {
  const rows = cache.db
    .prepare(
      "SELECT key, value FROM session_injections WHERE session_id = ? AND key LIKE 'work:%' ORDER BY created_at, key",
    )
    .all(sessionId) as Array<{ key: string; value: string }>;
  const startHead = rows.find((r) => r.key === START_HEAD_KEY)?.value;
  const taskIds = rows.filter((r) => r.key.startsWith(TASK_PREFIX)).map((r) => r.key.slice(TASK_PREFIX.length));
  return { ...(startHead ? { startHead } : {}), taskIds };
}
