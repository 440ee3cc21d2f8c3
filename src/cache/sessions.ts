import type { Cache } from './cache.js';

/** What a session was last told under `key` (e.g. the reminder's task), so it is not told again. */
export function readInjection(cache: Cache, sessionId: string, key: string): string | undefined {
  const row = cache.db
    .prepare('SELECT value FROM session_injections WHERE session_id = ? AND key = ?')
    .get(sessionId, key) as { value: string } | undefined;
  return row?.value;
}

export function writeInjection(cache: Cache, sessionId: string, key: string, value: string, at = Date.now()): void {
  cache.write(() =>
    cache.db
      .prepare(
        'INSERT INTO session_injections (session_id, key, value, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(session_id, key) DO UPDATE SET value = excluded.value, created_at = excluded.created_at',
      )
      .run(sessionId, key, value, at),
  );
}

/** Forgets everything the session was told (it ended): its rows go now rather than at the next pruning. */
export function forgetInjections(cache: Cache, sessionId: string): number {
  return cache.write(
    () => cache.db.prepare('DELETE FROM session_injections WHERE session_id = ?').run(sessionId).changes,
  );
}

/** The key under which the last text a hook event injected into a session is kept, for the dashboard to show. */
const TOLD_PREFIX = 'told:';

/** Keeps the exact text `event` injected into the session last, and when: what a person sees it was told. */
export function recordTold(cache: Cache, told: { sessionId: string; event: string; text: string; at?: number }): void {
  writeInjection(cache, told.sessionId, `${TOLD_PREFIX}${told.event}`, told.text, told.at);
}

export interface ToldEntry {
  sessionId: string;
  event: string;
  text: string;
  at: number;
}

/** What every session was last told by each event, newest first (`limit` rows at most). */
export function listTold(cache: Cache, limit = 200): ToldEntry[] {
  const rows = cache.db
    .prepare(
      'SELECT session_id, key, value, created_at FROM session_injections WHERE key LIKE ? ORDER BY created_at DESC LIMIT ?',
    )
    .all(`${TOLD_PREFIX}%`, limit) as Array<{ session_id: string; key: string; value: string; created_at: number }>;
  return rows.map((r) => ({
    sessionId: r.session_id,
    event: r.key.slice(TOLD_PREFIX.length),
    text: r.value,
    at: r.created_at,
  }));
}
