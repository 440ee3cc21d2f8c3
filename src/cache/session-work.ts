// What a session's work record is made from, kept beside what it was told (table session_injections) while it lives:
// the commit HEAD stood on when it started, every task it held, even one it let go of before it ended, and the statuses
// it set on tasks through its task tools.
import type { Cache } from './cache.js';

const START_HEAD_KEY = 'work:start-head';
const SESSION_KEY = 'work:session';
const TASK_PREFIX = 'work:task:';
const STATUS_PREFIX = 'work:status:';

const KEEP_FIRST =
  'INSERT INTO session_injections (session_id, key, value, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(session_id, key) DO NOTHING';

/**
 * The commit the session started on (call inside the session's registration write); a later start of the same session
 * (a resume, /compact) keeps the first.
 */
export function noteStartHead(cache: Cache, sessionId: string, head: string, at: number): void {
  cache.db.prepare(KEEP_FIRST).run(sessionId, START_HEAD_KEY, head, at);
}

/**
 * Where, in what and since when a session runs, as noted at its start and as its record names it; its live row
 * (./live-sessions.ts) adds what it holds. The task server's SessionPlace is only where it finds a request's session.
 */
export interface SessionOrigin {
  sessionId: string;
  project: string;
  branch: string;
  /** The working directory (the worktree) the session runs in. */
  cwd: string;
  /** The coding agent it runs in (`claude`, `codex`, `gemini`), when known. */
  agent?: string | undefined;
  startedAt: number;
}

/**
 * Where the session runs (call inside its registration write): its record needs it even when the session's live row is
 * gone, its agent's process judged ended before its last Stop or end ran.
 */
export function notePlace(cache: Cache, s: SessionOrigin): void {
  const { sessionId, ...rest } = s;
  cache.db.prepare(KEEP_FIRST).run(sessionId, SESSION_KEY, JSON.stringify(rest), s.startedAt);
}

function sessionOf(sessionId: string, value: string | undefined): SessionOrigin | undefined {
  if (value === undefined) return undefined;
  try {
    const v = JSON.parse(value) as Partial<SessionOrigin>;
    if (typeof v.project !== 'string' || typeof v.branch !== 'string' || typeof v.cwd !== 'string') return undefined;
    if (typeof v.startedAt !== 'number') return undefined;
    const agent = typeof v.agent === 'string' ? v.agent : undefined;
    return { sessionId, project: v.project, branch: v.branch, cwd: v.cwd, startedAt: v.startedAt, agent };
  } catch {
    return undefined;
  }
}

/** The session held `taskId` (call inside the claim's write): its record is made for it when the session ends. */
export function noteWorkedTask(cache: Cache, sessionId: string, taskId: string, at: number): void {
  cache.db.prepare(KEEP_FIRST).run(sessionId, `${TASK_PREFIX}${taskId}`, String(at), at);
}

/**
 * The session set `status` on `taskId` (call inside the write that follows its tool's answer): the task is one it
 * worked on, and the change goes into its record.
 */
export function noteStatusChange(cache: Cache, sessionId: string, c: { taskId: string; status: string; at: number }) {
  noteWorkedTask(cache, sessionId, c.taskId, c.at);
  cache.db
    .prepare(KEEP_FIRST)
    .run(
      sessionId,
      `${STATUS_PREFIX}${c.at}:${c.taskId}`,
      JSON.stringify({ taskId: c.taskId, status: c.status }),
      c.at,
    );
}

export interface SessionWork {
  /** Where it runs, as noted at its start. */
  session?: SessionOrigin;
  startHead?: string;
  /** The tasks it held or set a status on, in the order it first did. */
  taskIds: string[];
  /** The statuses it set, oldest first. */
  statusChanges: Array<{ taskId: string; status: string; at: number }>;
}

function statusChange(value: string, at: number): SessionWork['statusChanges'] {
  try {
    const v = JSON.parse(value) as { taskId?: unknown; status?: unknown };
    return typeof v.taskId === 'string' && typeof v.status === 'string'
      ? [{ taskId: v.taskId, status: v.status, at }]
      : [];
  } catch {
    return [];
  }
}

export function sessionWork(cache: Cache, sessionId: string): SessionWork {
  const rows = cache.db
    .prepare(
      "SELECT key, value, created_at FROM session_injections WHERE session_id = ? AND key LIKE 'work:%' ORDER BY created_at, key",
    )
    .all(sessionId) as Array<{ key: string; value: string; created_at: number }>;
  const startHead = rows.find((r) => r.key === START_HEAD_KEY)?.value;
  const taskIds = rows.filter((r) => r.key.startsWith(TASK_PREFIX)).map((r) => r.key.slice(TASK_PREFIX.length));
  // An answer that changed a task's title repeats its status: only a status unlike the task's last one is a change.
  const statusChanges = rows
    .filter((r) => r.key.startsWith(STATUS_PREFIX))
    .flatMap((r) => statusChange(r.value, r.created_at))
    .filter((c, i, all) => all.slice(0, i).findLast((p) => p.taskId === c.taskId)?.status !== c.status);
  const session = sessionOf(sessionId, rows.find((r) => r.key === SESSION_KEY)?.value);
  return { ...(session ? { session } : {}), ...(startHead ? { startHead } : {}), taskIds, statusChanges };
}
