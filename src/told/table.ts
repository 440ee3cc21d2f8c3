// What each session was told (table session_injections): the news baseline and reminders kept per key, the last
// text each event injected with its delivery marker, and whether the transcript shows it arrived (./told.ts).
import type { Cache } from '../cache/cache.js';
import { ENDED_AGENT_KEY } from '../cache/live-sessions.js';
import type { Logger } from '../log/logger.js';

/** What a session was last told under `key` (e.g. the reminder's task), so it is not told again. */
export function readInjection(cache: Cache, sessionId: string, key: string): string | undefined {
  const row = cache.db
    .prepare('SELECT value FROM session_injections WHERE session_id = ? AND key = ?')
    .get(sessionId, key) as { value: string } | undefined;
  return row?.value;
}

const UPSERT =
  'INSERT INTO session_injections (session_id, key, value, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(session_id, key) DO UPDATE SET value = excluded.value, created_at = excluded.created_at';

export function writeInjection(cache: Cache, sessionId: string, key: string, value: string, at = Date.now()): void {
  cache.write(() => cache.db.prepare(UPSERT).run(sessionId, key, value, at));
}

/**
 * What a session was told is kept a week after it was said, the session ended or not: long enough for the dashboard to
 * answer "what did that session get?", and an older session's reminders can never be shown again anyway.
 */
export const TOLD_KEPT_DAYS = 7;

/** The key under which the last text a hook event injected into a session is kept, for the dashboard to show. */
const TOLD_PREFIX = 'told:';
/** Beside it, the marker that text carried and whether the session's transcript shows it arrived. */
const DELIVERY_PREFIX = 'delivery:';

/**
 * Forgets what the session needed while it lived (its news baseline, its reminders) now that it ended; what it was
 * told, whether it arrived and its agent stay for the dashboard until the cache's pruning takes them.
 */
export function forgetInjections(cache: Cache, sessionId: string): number {
  return cache.write(
    () =>
      cache.db
        .prepare(
          "DELETE FROM session_injections WHERE session_id = ? AND key NOT LIKE ? || '%' AND key NOT LIKE ? || '%' AND key <> ?",
        )
        .run(sessionId, TOLD_PREFIX, DELIVERY_PREFIX, ENDED_AGENT_KEY).changes,
  );
}

/**
 * Whether an injection reached the session: `pending` until the transcript says, `delivered` when it holds the marker,
 * `lost` when the model answered after it and the marker is not there, `unknown` when there was no transcript to read.
 */
export type DeliveryState = 'pending' | 'delivered' | 'lost' | 'unknown';

export interface Delivery {
  marker: string;
  at: number;
  state: DeliveryState;
  /** A lost context told again (once). */
  retold?: true;
}

/** Keeps the exact text `event` injected into the session last, when, and the marker it carried (then pending). */
export function recordTold(
  cache: Cache,
  told: { sessionId: string; event: string; text: string; marker?: string; at?: number },
): void {
  const at = told.at ?? Date.now();
  cache.write(() => {
    writeInjection(cache, told.sessionId, `${TOLD_PREFIX}${told.event}`, told.text, at);
    if (told.marker) writeDelivery(cache, told.sessionId, told.event, { marker: told.marker, at, state: 'pending' });
  });
}

function parseDelivery(value: string): Delivery | undefined {
  try {
    const d = JSON.parse(value) as Delivery;
    return typeof d.marker === 'string' && typeof d.at === 'number' && typeof d.state === 'string' ? d : undefined;
  } catch {
    // A row this version cannot read says nothing about delivery.
    return undefined;
  }
}

export function writeDelivery(cache: Cache, sessionId: string, event: string, d: Delivery): void {
  writeInjection(cache, sessionId, `${DELIVERY_PREFIX}${event}`, JSON.stringify(d), d.at);
}

/** A pending injection's delivery as the transcript shows it now: what the run's one write records. */
export interface FoundDelivery {
  event: string;
  delivery: Delivery;
}

/**
 * Records what the transcript showed, inside the caller's write, and says which contexts did not arrive (lost), or
 * whose arrival cannot be told (no transcript to read): that is not news of a loss.
 */
export function recordDeliveries(cache: Cache, sessionId: string, found: readonly FoundDelivery[], log: Logger): void {
  for (const { event, delivery } of found) {
    writeDelivery(cache, sessionId, event, delivery);
    const fields = { event, marker: delivery.marker, state: delivery.state };
    if (delivery.state === 'lost') log.warn(fields, `the ${event} context did not reach the session's transcript`);
    else if (delivery.state === 'unknown')
      log.info(fields, `whether the ${event} context arrived cannot be told: no transcript to read`);
  }
}

/** The session's injections per event whose delivery is still to be found out. */
export function pendingDeliveries(cache: Cache, sessionId: string): Array<{ event: string } & Delivery> {
  const rows = cache.db
    .prepare('SELECT key, value FROM session_injections WHERE session_id = ? AND key LIKE ?')
    .all(sessionId, `${DELIVERY_PREFIX}%`) as Array<{ key: string; value: string }>;
  return rows.flatMap((r) => {
    const d = parseDelivery(r.value);
    return d?.state === 'pending' ? [{ event: r.key.slice(DELIVERY_PREFIX.length), ...d }] : [];
  });
}

/** The text of the session's SessionStart context when it was lost and not told again yet; marks it told again. */
export function takeLostSessionStart(cache: Cache, sessionId: string): string | undefined {
  return cache.write(() => {
    const d = parseDelivery(readInjection(cache, sessionId, `${DELIVERY_PREFIX}SessionStart`) ?? '');
    if (d?.state !== 'lost' || d.retold) return undefined;
    const text = readInjection(cache, sessionId, `${TOLD_PREFIX}SessionStart`);
    writeDelivery(cache, sessionId, 'SessionStart', { ...d, retold: true });
    return text;
  });
}

export interface ToldEntry {
  sessionId: string;
  event: string;
  text: string;
  at: number;
  /** Whether it arrived, when the injection carried a marker. */
  delivery?: Delivery;
}

/** What every session was last told by each event, newest first (`limit` rows at most), and whether it arrived. */
export function listTold(cache: Cache, limit = 200): ToldEntry[] {
  const rows = cache.db
    .prepare(
      `SELECT t.session_id, t.key, t.value, t.created_at, d.value AS delivery FROM session_injections t
       LEFT JOIN session_injections d ON d.session_id = t.session_id AND d.key = ? || substr(t.key, ?)
       WHERE t.key LIKE ? ORDER BY t.created_at DESC LIMIT ?`,
    )
    .all(DELIVERY_PREFIX, TOLD_PREFIX.length + 1, `${TOLD_PREFIX}%`, limit) as Array<{
    session_id: string;
    key: string;
    value: string;
    created_at: number;
    delivery: string | null;
  }>;
  return rows.map((r) => {
    const delivery = r.delivery === null ? undefined : parseDelivery(r.delivery);
    return {
      sessionId: r.session_id,
      event: r.key.slice(TOLD_PREFIX.length),
      text: r.value,
      at: r.created_at,
      ...(delivery ? { delivery } : {}),
    };
  });
}
