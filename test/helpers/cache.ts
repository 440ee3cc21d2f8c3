// Reads of the shared cache that only tests make (what a table holds, beyond what the code's own queries need), and
// the state directory a cache test opens its cache in.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/sqlite/index.js';
import { afterEach, beforeEach } from 'vitest';
import { openCache, type Cache } from '../../src/cache/cache.js';
import { listMetrics, type ServerMetrics } from '../../src/cache/metrics.js';
import { ensureHome } from '../../src/home/dir.js';
import type { Logger } from '../../src/log/logger.js';

/** The schema version an SQLite file of taskhooks (cache.db, tasks.db) records, read without migrating it. */
export function schemaVersionOf(file: string): number {
  const db = openDatabase(file, { readonly: true });
  try {
    return (db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number }).v;
  } finally {
    db.close();
  }
}

/** A fixed clock for the cache's tests: every time they write is this or after it. */
export const T0 = 1_700_000_000_000;

export function metricsOf(cache: Cache, server: string): ServerMetrics | undefined {
  return listMetrics(cache).find((m) => m.server === server);
}

/** How many task snapshots the cache holds, for one source key or all. */
export function snapshotCount(cache: Cache, sourceKey?: string): number {
  const sql =
    sourceKey === undefined
      ? 'SELECT COUNT(*) AS n FROM task_snapshots'
      : 'SELECT COUNT(*) AS n FROM task_snapshots WHERE source_key = ?';
  const row = (sourceKey === undefined ? cache.db.prepare(sql).get() : cache.db.prepare(sql).get(sourceKey)) as {
    n: number;
  };
  return row.n;
}

/** A logger that drops every line. */
export function silentLogger(): Logger {
  const noop = (() => undefined) as Logger['info'];
  const l: Logger = {
    level: 'silent',
    fatal: noop,
    error: noop,
    warn: noop,
    info: noop,
    debug: noop,
    trace: noop,
    child: () => l,
  };
  return l;
}

/**
 * Each test's own state directory (`home`, inside `dir`), removed after it, and the caches it opens there, closed
 * after it: what the cache's unit tests stand on.
 */
export function cacheEachTest(): {
  readonly dir: string;
  readonly home: string;
  open(): Cache;
  track(c: Cache): Cache;
} {
  let dir = '';
  let home = '';
  const opened: Cache[] = [];
  const track = (c: Cache): Cache => {
    opened.push(c);
    return c;
  };
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'th-cache-'));
    home = path.join(dir, 'state');
    ensureHome(home);
  });
  afterEach(() => {
    for (const c of opened.splice(0)) c.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    get home() {
      return home;
    },
    open: () => track(openCache({ home })),
    track,
  };
}

/** A logger that keeps each line's message, to assert on or to show beside a failure. */
export function recordingLogger(lines: string[]): Logger {
  const base = silentLogger();
  const keep = ((obj: unknown, msg?: string) => {
    lines.push(typeof obj === 'string' ? obj : (msg ?? ''));
  }) as Logger['info'];
  return { ...base, debug: keep, info: keep, warn: keep, error: keep, child: () => recordingLogger(lines) };
}
