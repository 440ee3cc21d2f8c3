import type { Db } from './driver.js';

/**
 * One forward-only step: index i of a list moves a file from version i to i + 1. SQL when SQL says it all, as the
 * Postgres store's steps are; code for a step that must read rows to decide what to write.
 */
export type Migration = string | ((db: Db) => void);

function currentVersion(db: Db): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null } | undefined;
  return row?.v ?? 0;
}

/** Called with the version an existing file is at, before it is migrated past it. */
export type BeforeMigrate = (db: Db, from: number) => void;

/** The version a file is at, without writing anything: undefined when it has no schema_version table yet. */
export function existingVersion(db: Db): number | undefined {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
  return table === undefined ? undefined : currentVersion(db);
}

/**
 * Brings the file up to the end of `migrations` and returns the version it is at; safe when several processes open a
 * fresh file at once. `beforeMigrate` runs first when an existing file (version ≥ 1) is behind.
 */
export function migrate(db: Db, migrations: readonly Migration[], beforeMigrate?: BeforeMigrate): number {
  const target = migrations.length;
  // The common case (every hook run) is an up-to-date file: answer it with reads only.
  const known = existingVersion(db);
  if (known !== undefined && known >= target) return known;
  if (beforeMigrate && known !== undefined && known > 0) beforeMigrate(db, known);
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  if (currentVersion(db) >= target) return currentVersion(db);
  const run = db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated while we waited.
    for (let v = currentVersion(db); v < target; v++) {
      const step = migrations[v];
      if (!step) throw new Error(`no migration from schema version ${v}`);
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(v + 1, Date.now());
    }
  });
  run.immediate();
  return currentVersion(db);
}
