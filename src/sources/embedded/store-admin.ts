// The task store handled as a whole, outside a source: served (`serve`, `mcp`), exported, imported, backed up and
// restored. The store's code loads only when one of these runs; every write here reaches the shared cache.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DamagedStoreError } from '../../errors/damaged-store.js';
import { UserError } from '../../errors/user.js';
import { homeFiles } from '../../home/files.js';
import { registerSecret } from '../../log/redact.js';
import type { Logger } from '../../log/logger.js';
import type { BackupInfo } from '../../store/tasks-db/backups.js';
import type { ImportReport, TaskDb, TaskStore } from '../../server/index.js';
import { invalidateOnChange, markEveryProjectStale } from './store-access.js';

export type { BackupInfo, ImportReport };

type Home = { home: string; log: Logger };

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The SQLite store at `file`, served: every write marks the changed projects stale in the cache. */
export async function openServedStore(file: string, opts: Home): Promise<TaskStore> {
  const { openTaskDb, sqliteStore, storeFileOptions } = await import('../../store/index.js');
  const db = openTaskDb(file, storeFileOptions(file, opts.home, opts.log));
  invalidateOnChange(db, opts);
  return sqliteStore(db);
}

/** The store file `file` (a damaged one recovered as the home's own would be); what keeps it from opening, a UserError. */
async function openStoreFile(file: string, opts: Home): Promise<TaskDb> {
  const { openTaskDb, storeFileOptions } = await import('../../server/index.js');
  try {
    return openTaskDb(file, storeFileOptions(file, opts.home, opts.log));
  } catch (err) {
    throw new UserError(err instanceof DamagedStoreError ? err.withFix : message(err), 1, { cause: err });
  }
}

/** Where `--db` points: a PostgreSQL URL, a file relative to `cwd`, or (none given) the home's own store. */
type StoreChoice = Home & { db: string | undefined; cwd: string };

/**
 * The store export and import work on, through the engine-neutral interface: a PostgreSQL URL (a team server's
 * database), else a file (`local`, for telling the cache about an import).
 */
export async function openAnyStore(opts: StoreChoice): Promise<{ store: TaskStore; local?: TaskDb }> {
  const server = await import('../../server/index.js');
  if (opts.db && server.isPostgresUrl(opts.db)) {
    const password = new URL(opts.db).password;
    if (password) registerSecret(decodeURIComponent(password));
    try {
      return { store: await server.openPostgresStore({ connectionString: opts.db, maxConnections: 2, log: opts.log }) };
    } catch (err) {
      throw new UserError(
        `Cannot open the PostgreSQL task store given by --db: ${message(err)} (check the URL, and that the server is up)`,
        1,
        { cause: err },
      );
    }
  }
  const local = await openStoreFile(opts.db ? path.resolve(opts.cwd, opts.db) : homeFiles(opts.home).tasks, opts);
  return { store: server.sqliteStore(local), local };
}

/**
 * `file`, an export, into the store `db` names (the home's own, which then tells the cache, when `db` is undefined).
 * What the file or the store refuses is a UserError.
 */
export async function importExportFile(
  opts: StoreChoice & { file: string; merge: boolean; overwrite: boolean; dryRun: boolean },
): Promise<ImportReport> {
  const { parseExport } = await import('../../server/index.js');
  let data;
  try {
    data = parseExport(readFileSync(opts.file, 'utf8'), opts.file);
  } catch (err) {
    throw new UserError(message(err), 1, { cause: err });
  }
  const { store, local } = await openAnyStore(opts);
  try {
    if (!opts.db && local) invalidateOnChange(local, opts);
    try {
      return await store.importData(data, { merge: opts.merge, overwrite: opts.overwrite, dryRun: opts.dryRun });
    } catch (err) {
      const hint = opts.merge ? '' : ' (--merge adds to it; --dry-run shows what that would do)';
      throw new UserError(`${message(err)}${hint}`, 1, { cause: err });
    }
  } finally {
    await store.close();
  }
}

/** A checked backup of the home's task store now, the oldest beyond the monitor settings' retention dropped. */
export async function backupHomeStore(
  opts: Home & { reason: 'manual'; monitor: { backupKeep: number; backupMaxAgeDays: number } },
): Promise<{ backup: { file: string; name: string; bytes: number }; tasks: number; ms: number; pruned: string[] }> {
  const { pruneBackups } = await import('../../server/index.js');
  const { backups, tasks } = homeFiles(opts.home);
  const db = await openStoreFile(tasks, opts);
  try {
    const started = performance.now();
    const backup = await db.backup(backups, opts.reason);
    const ms = Math.round(performance.now() - started);
    const pruned = pruneBackups(
      backups,
      { keep: opts.monitor.backupKeep, maxAgeDays: opts.monitor.backupMaxAgeDays },
      { taken: backup.file, log: opts.log },
    );
    return { backup, tasks: db.countTasks(), ms, pruned };
  } finally {
    db.close();
  }
}

/** The home's backups, newest first. */
export async function listHomeBackups(home: string): Promise<BackupInfo[]> {
  const { listBackups } = await import('../../server/index.js');
  return listBackups(homeFiles(home).backups);
}

/**
 * The home's task store brought back from `source` (the current one moved aside first), every project marked stale
 * in the cache. A refused restore is a UserError saying nothing changed.
 */
export async function restoreHomeStore(opts: Home & { source: string }): Promise<{
  tasksFile: string;
  movedTo: string | undefined;
  projects: number;
  tasks: number;
}> {
  const { restoreStore } = await import('../../server/index.js');
  let result;
  try {
    result = restoreStore(opts.home, opts.source, opts.log);
  } catch (err) {
    throw new UserError(`Cannot restore from ${opts.source}: ${message(err)}; the task store was not changed`, 1, {
      cause: err,
    });
  }
  const db = await openStoreFile(homeFiles(opts.home).tasks, opts);
  try {
    markEveryProjectStale(db, opts);
    return {
      tasksFile: result.tasksFile,
      movedTo: result.movedTo,
      projects: db.listProjects().length,
      tasks: db.countTasks(),
    };
  } finally {
    db.close();
  }
}
