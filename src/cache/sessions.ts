import type { Store } from './store.js';

/** What a session was last told under `key` (e.g. the reminder's task), so it is not told again. */
export function readInjection(store: Store, sessionId: string, key: string): string | undefined {
  const row = store.db.prepare('SELECT value FROM session_injections WHERE session_id = ? AND key = ?').get(sessionId, key) as
    | { value: string }
    | undefined;
  return row?.value;
}

export function writeInjection(store: Store, sessionId: string, key: string, value: string, at = Date.now()): void {
  store.write(() =>
    store.db
      .prepare(
        'INSERT INTO session_injections (session_id, key, value, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(session_id, key) DO UPDATE SET value = excluded.value, created_at = excluded.created_at',
      )
      .run(sessionId, key, value, at),
  );
}

/** Forgets everything the session was told (it ended): its rows go now rather than at the next pruning. */
export function forgetInjections(store: Store, sessionId: string): number {
  return store.write(() => store.db.prepare('DELETE FROM session_injections WHERE session_id = ?').run(sessionId).changes);
}
