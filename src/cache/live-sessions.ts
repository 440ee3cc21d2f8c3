// The sessions of this machine that hooks have seen, and the tasks they hold. SessionStart registers a session, every
// hook run touches it, SessionEnd removes it with its claims; one no hook has seen for `idleMs`, or whose Claude Code
// process is gone, has ended all the same. A claim lives exactly as long as its session: a lapsed one is free.
import type { Cache } from './cache.js';
import { bumpNewsGeneration } from './news-generation.js';
import { nonNull } from '../util/object.js';
import { noteWorkedTask, type SessionOrigin } from './session-work.js';

export interface LiveSession extends SessionOrigin {
  /** The task it works on, when it holds one. */
  taskId?: string;
  /** The agent's process (Claude Code: a hook's parent), when known. */
  pid?: number;
  lastSeen: number;
}

export interface Claim {
  project: string;
  taskId: string;
  session: LiveSession;
  claimedAt: number;
}

/** When a session counts as ended: seen too long ago, or its process is gone. */
export interface Liveness {
  now: number;
  idleMs: number;
  /** Whether a process lives; sessions without a pid are judged by time alone. */
  alive: (pid: number) => boolean;
}

interface LiveSessionRow {
  session_id: string;
  project: string;
  branch: string;
  cwd: string;
  task_id: string | null;
  pid: number | null;
  agent: string | null;
  started_at: number;
  last_seen: number;
}

function fromRow(r: LiveSessionRow): LiveSession {
  return {
    sessionId: r.session_id,
    project: r.project,
    branch: r.branch,
    cwd: r.cwd,
    startedAt: r.started_at,
    lastSeen: r.last_seen,
    ...nonNull({ taskId: r.task_id, pid: r.pid, agent: r.agent }),
  };
}

/** The session_injections key of the agent an ended session ran in, kept beside what it was told (src/told/). */
export const ENDED_AGENT_KEY = 'agent';

const isLive = (s: LiveSession, l: Liveness): boolean =>
  s.lastSeen > l.now - l.idleMs && (s.pid === undefined || l.alive(s.pid));

/** A session begins (or begins again after /clear, /compact or a resume): where it runs, and since when. */
export function registerSession(
  cache: Cache,
  s: { sessionId: string; project: string; branch: string; cwd: string; pid?: number; agent?: string; at: number },
): void {
  cache.write(() =>
    cache.db
      .prepare(
        `INSERT INTO live_sessions (session_id, project, branch, cwd, pid, agent, started_at, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (session_id) DO UPDATE SET project = excluded.project, branch = excluded.branch, cwd = excluded.cwd,
           pid = excluded.pid, agent = excluded.agent, last_seen = excluded.last_seen`,
      )
      .run(s.sessionId, s.project, s.branch, s.cwd, s.pid ?? null, s.agent ?? null, s.at, s.at),
  );
}

/** A hook saw the session: it is still there. */
export function touchSession(cache: Cache, sessionId: string, at: number): void {
  cache.write(() => cache.db.prepare('UPDATE live_sessions SET last_seen = ? WHERE session_id = ?').run(at, sessionId));
}

/** The session ended: it and its claims go now. Returns how many claims it held. */
export function endSession(cache: Cache, sessionId: string, now = Date.now()): number {
  return cache.write(() => {
    const claims = cache.db.prepare('DELETE FROM task_claims WHERE session_id = ?').run(sessionId).changes;
    // Its agent stays beside what it was told, so the dashboard still names it once the session is gone.
    cache.db
      .prepare(
        `INSERT INTO session_injections (session_id, key, value, created_at)
         SELECT session_id, ?, agent, ? FROM live_sessions WHERE session_id = ? AND agent IS NOT NULL
         ON CONFLICT(session_id, key) DO UPDATE SET value = excluded.value, created_at = excluded.created_at`,
      )
      .run(ENDED_AGENT_KEY, now, sessionId);
    cache.db.prepare('DELETE FROM live_sessions WHERE session_id = ?').run(sessionId);
    return claims;
  });
}

/** Every session still live, newest first; the ended ones are removed on the way, with their claims. */
export function liveSessions(cache: Cache, l: Liveness): LiveSession[] {
  const all = (cache.db.prepare('SELECT * FROM live_sessions ORDER BY last_seen DESC').all() as LiveSessionRow[]).map(
    fromRow,
  );
  const ended = all.filter((s) => !isLive(s, l));
  for (const s of ended) endSession(cache, s.sessionId);
  return all.filter((s) => isLive(s, l));
}

/**
 * The session claims `taskId` of `project`: taken when free, already its own, or held by a session that has ended.
 * Returns the claim that stands afterwards (another live session's, when it was taken).
 */
export function claimTask(
  cache: Cache,
  c: { project: string; taskId: string; sessionId: string; at: number },
  l: Liveness,
): Claim | undefined {
  return cache.write(() => {
    const held = claimOf(cache, c.project, c.taskId, l);
    if (held && held.session.sessionId !== c.sessionId) return held;
    const taken = cache.db
      .prepare(
        `INSERT INTO task_claims (project, task_id, session_id, claimed_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (project, task_id) DO UPDATE SET session_id = excluded.session_id, claimed_at = excluded.claimed_at
         WHERE task_claims.session_id <> excluded.session_id`,
      )
      .run(c.project, c.taskId, c.sessionId, c.at).changes;
    // Another running session may work on that task: its next prompt looks.
    if (taken > 0) bumpNewsGeneration(cache);
    cache.db.prepare('UPDATE live_sessions SET task_id = ? WHERE session_id = ?').run(c.taskId, c.sessionId);
    noteWorkedTask(cache, c.sessionId, c.taskId, c.at);
    return claimOf(cache, c.project, c.taskId, l);
  });
}

function claimOf(cache: Cache, project: string, taskId: string, l: Liveness): Claim | undefined {
  const row = cache.db
    .prepare(
      `SELECT c.claimed_at, s.* FROM task_claims c JOIN live_sessions s ON s.session_id = c.session_id
       WHERE c.project = ? AND c.task_id = ?`,
    )
    .get(project, taskId) as (LiveSessionRow & { claimed_at: number }) | undefined;
  if (!row) return undefined;
  const session = fromRow(row);
  return isLive(session, l) ? { project, taskId, session, claimedAt: row.claimed_at } : undefined;
}

/** The project's tasks that live sessions other than `sessionId` hold. */
export function claimsElsewhere(cache: Cache, project: string, sessionId: string, l: Liveness): Claim[] {
  const rows = cache.db
    .prepare(
      `SELECT s.*, c.task_id AS claimed_task, c.claimed_at FROM task_claims c JOIN live_sessions s ON s.session_id = c.session_id
       WHERE c.project = ? AND c.session_id <> ? ORDER BY c.claimed_at`,
    )
    .all(project, sessionId) as Array<LiveSessionRow & { claimed_task: string; claimed_at: number }>;
  return rows
    .map((r) => ({ project, taskId: r.claimed_task, session: fromRow(r), claimedAt: r.claimed_at }))
    .filter((c) => isLive(c.session, l));
}

/** The session lets go of `taskId` (it finished or left it); another session's claim is not touched. */
export function releaseClaim(cache: Cache, c: { project: string; taskId: string; sessionId: string }): void {
  cache.write(() => {
    cache.db
      .prepare('DELETE FROM task_claims WHERE project = ? AND task_id = ? AND session_id = ?')
      .run(c.project, c.taskId, c.sessionId);
    cache.db
      .prepare('UPDATE live_sessions SET task_id = NULL WHERE session_id = ? AND task_id = ?')
      .run(c.sessionId, c.taskId);
  });
}

/** The live session a command run in `cwd` belongs to: the most recently seen one whose worktree holds `cwd`. */
export function sessionAt(cache: Cache, cwd: string, l: Liveness): LiveSession | undefined {
  const inside = (dir: string): boolean => cwd === dir || cwd.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
  return liveSessions(cache, l).find((s) => inside(s.cwd));
}

/** The session's row as it stands (live or not), if it is still registered. */
export function sessionRow(cache: Cache, sessionId: string): LiveSession | undefined {
  const row = cache.db.prepare('SELECT * FROM live_sessions WHERE session_id = ?').get(sessionId) as
    | LiveSessionRow
    | undefined;
  return row && fromRow(row);
}

/** The task a session holds, if any. */
export function sessionTask(cache: Cache, sessionId: string): string | undefined {
  const row = cache.db.prepare('SELECT task_id FROM live_sessions WHERE session_id = ?').get(sessionId) as
    | { task_id: string | null }
    | undefined;
  return row?.task_id ?? undefined;
}

/** The agent of each session that recorded one, ended or not: what a reader that must not write (a page) shows. */
export function sessionAgents(cache: Cache): Map<string, string> {
  const rows = cache.db
    .prepare(
      `SELECT session_id, value AS agent FROM session_injections WHERE key = ?
       UNION ALL SELECT session_id, agent FROM live_sessions WHERE agent IS NOT NULL`,
    )
    .all(ENDED_AGENT_KEY) as Array<{ session_id: string; agent: string }>;
  return new Map(rows.map((r) => [r.session_id, r.agent]));
}

/** The ids of the live sessions, as their rows stand (their processes not checked here, as `liveSessions` does). */
export function liveSessionIds(cache: Cache): Set<string> {
  const rows = cache.db.prepare('SELECT session_id FROM live_sessions').all() as Array<{ session_id: string }>;
  return new Set(rows.map((r) => r.session_id));
}
