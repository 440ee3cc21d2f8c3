import { statSync } from 'node:fs';
import type { Cache } from './cache.js';

export interface CacheStats {
  entries: number;
  valid: number;
  expired: number;
  /** Size of the database file and its WAL on disk. */
  bytes: number;
}

/** Stores any JSON value under `key`; `ttlSeconds` undefined means it never expires. */
export function kvSet(cache: Cache, key: string, value: unknown, ttlSeconds?: number, now = Date.now()): void {
  const expires = ttlSeconds === undefined ? null : now + ttlSeconds * 1000;
  cache.write(() =>
    cache.db
      .prepare(
        'INSERT INTO kv (key, value, expires_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at, updated_at = excluded.updated_at',
      )
      .run(key, JSON.stringify(value), expires, now),
  );
}

/** The value under `key`, or undefined when absent or expired (expired rows stay until cleanupExpired). */
export function kvGet<T = unknown>(cache: Cache, key: string, now = Date.now()): T | undefined {
  const row = cache.db.prepare('SELECT value, expires_at FROM kv WHERE key = ?').get(key) as
    | { value: string; expires_at: number | null }
    | undefined;
  if (!row || (row.expires_at !== null && row.expires_at <= now)) return undefined;
  return JSON.parse(row.value) as T;
}

export function kvDelete(cache: Cache, key: string): boolean {
  return cache.write(() => cache.db.prepare('DELETE FROM kv WHERE key = ?').run(key).changes > 0);
}

export function cacheStats(cache: Cache, now = Date.now()): CacheStats {
  const row = cache.db
    .prepare(
      'SELECT COUNT(*) AS entries, COALESCE(SUM(CASE WHEN expires_at IS NOT NULL AND expires_at <= ? THEN 1 ELSE 0 END), 0) AS expired FROM kv',
    )
    .get(now) as { entries: number; expired: number };
  let bytes = 0;
  for (const suffix of ['', '-wal']) {
    try {
      bytes += statSync(cache.file + suffix).size;
    } catch {
      // no WAL yet
    }
  }
  return { entries: row.entries, valid: row.entries - row.expired, expired: row.expired, bytes };
}

/** Deletes expired entries and returns how many went. */
export function cleanupExpired(cache: Cache, now = Date.now()): number {
  return cache.write(
    () => cache.db.prepare('DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= ?').run(now).changes,
  );
}

/**
 * Forgets every rate-limit lockout a source remembered (kv keys `<source>:rate-limited:<identity>`) and every circuit
 * breaker, so the next read asks the service at once. Returns how many rows went.
 */
export function clearLimits(cache: Cache): number {
  return cache.write(
    () =>
      cache.db.prepare("DELETE FROM kv WHERE key LIKE '%:rate-limited:%'").run().changes +
      cache.db.prepare('DELETE FROM breakers').run().changes,
  );
}

/** Empties every cache table (entries, snapshots, git state, tokens, breakers, metrics, sessions, alerts). */
export function clearAll(cache: Cache): void {
  cache.write(() => {
    for (const table of [
      'kv',
      'task_snapshots',
      'git_state',
      'oauth_tokens',
      'session_injections',
      'breakers',
      'server_metrics',
      'server_latency',
      'alerts',
      'fetch_leases',
      'http_etags',
    ]) {
      cache.db.prepare(`DELETE FROM ${table}`).run();
    }
  });
}
