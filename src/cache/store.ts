import { chmodSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Logger } from '../log/logger.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

export type Db = Database.Database;

export interface Store {
  readonly db: Db;
  readonly file: string;
  /** Runs `fn` in a `BEGIN IMMEDIATE` transaction: writers queue on busy_timeout instead of failing mid-way. */
  write<T>(fn: () => T): T;
  close(): void;
}

export interface OpenStoreOptions {
  /** The state directory; the database is `<home>/cache.db` unless `file` is given. */
  home: string;
  file?: string;
  log?: Logger;
  busyTimeoutMs?: number;
}

const CORRUPT_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_VTAB', 'SQLITE_IOERR_SHORT_READ']);

function isCorruptionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CORRUPT_CODES.has(code);
}

/** Something that is not a file sits where the database belongs (e.g. a directory): unreadable, so moved aside. */
function isUnusablePath(file: string, err: unknown): boolean {
  if ((err as { code?: unknown } | null)?.code !== 'SQLITE_CANTOPEN') return false;
  try {
    return !statSync(file).isFile();
  } catch {
    return false;
  }
}

function currentVersion(db: Db): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null } | undefined;
  return row?.v ?? 0;
}

/** The version a file is at, without writing anything: undefined when it has no schema_version table yet. */
function existingVersion(db: Db): number | undefined {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
  return table === undefined ? undefined : currentVersion(db);
}

/**
 * Brings the file up to `target`; safe when several processes open a fresh file at once.
 * Other databases (the reference server's tasks.db) pass their own migration list.
 */
export function migrate(db: Db, target = SCHEMA_VERSION, migrations: ReadonlyArray<(db: Db) => void> = MIGRATIONS): number {
  // The common case (every hook run) is an up-to-date file: answer it with reads only.
  const known = existingVersion(db);
  if (known !== undefined && known >= target) return known;
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  if (currentVersion(db) >= target) return currentVersion(db);
  const run = db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated while we waited.
    for (let v = currentVersion(db); v < target; v++) {
      const step = migrations[v];
      if (!step) throw new Error(`no migration from schema version ${v}`);
      step(db);
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(v + 1, Date.now());
    }
  });
  run.immediate();
  return currentVersion(db);
}

function restrictModes(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((statSync(f).mode & 0o077) !== 0) chmodSync(f, 0o600);
    } catch {
      // -wal/-shm appear only once SQLite needs them; SQLite gives them the main file's mode.
    }
  }
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Moves a damaged database (and its WAL) aside so it can be inspected; never deletes it. */
function quarantine(file: string, log?: Logger, reason?: unknown): string {
  const aside = `${file}.corrupt-${timestamp()}-${process.pid}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(file + suffix)) {
      try {
        renameSync(file + suffix, aside + suffix);
      } catch (err) {
        log?.warn({ err, file: file + suffix }, 'could not move damaged cache file aside');
      }
    }
  }
  log?.error({ file, movedTo: aside, ...(reason === undefined ? {} : { err: reason }) }, 'cache database was corrupt or unreadable: moved aside and recreated');
  return aside;
}

let addonPath: string | null | undefined;

const ADDON = path.join('better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

/** The addon in the nearest node_modules above this module, as Node's lookup walks: a few stats, ~1 ms less than require.resolve. */
function nearestAddon(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'node_modules', ADDON);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * better-sqlite3's own addon lookup (the `bindings` package) probes a dozen paths and parses a stack trace on every
 * process start; finding the one file ourselves is cheaper. Falls back to that lookup for unusual installs.
 */
function nativeBinding(): string | undefined {
  if (addonPath === undefined) {
    try {
      const found = nearestAddon();
      if (found) addonPath = found;
      else {
        const pkg = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
        const addon = path.join(path.dirname(path.dirname(pkg)), ADDON);
        addonPath = existsSync(addon) ? addon : null;
      }
    } catch {
      addonPath = null;
    }
  }
  return addonPath ?? undefined;
}

function openRaw(file: string, busyTimeoutMs: number): Db {
  const binding = nativeBinding();
  const db = new Database(file, binding ? { timeout: busyTimeoutMs, nativeBinding: binding } : { timeout: busyTimeoutMs });
  try {
    // WAL is persistent in the file: only a new (or foreign) file needs switching, which takes a write lock.
    if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Opens (creating and migrating as needed) the shared cache. A file that is not a database, or is damaged,
 * is renamed aside and a fresh one created, so a corrupt cache costs the cached data and nothing else.
 */
export function openStore(options: OpenStoreOptions): Store {
  const file = options.file ?? path.join(options.home, 'cache.db');
  const busy = options.busyTimeoutMs ?? 5000;
  let db: Db;
  try {
    db = openRaw(file, busy);
  } catch (err) {
    const dir = path.dirname(file);
    if (!existsSync(dir)) {
      // A first run before anything made the state dir: create it (0700, it holds tokens) rather than fail.
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } else if (isCorruptionError(err) || isUnusablePath(file, err)) {
      quarantine(file, options.log, err);
    } else throw err;
    db = openRaw(file, busy);
  }
  restrictModes(file);
  return {
    db,
    file,
    write: <T>(fn: () => T): T => db.transaction(fn).immediate(),
    close: () => {
      if (db.open) db.close();
    },
  };
}
