// Opening tasks.db, the only copy of people's tasks: checked at every open, kept as a backup before a migration, and
// when damaged, put aside (never deleted) and replaced by the newest backup that passes its check, with a note of
// what happened for the next session, the next CLI command and `doctor`. Without a good backup it is left where it
// is and the error says how to get the tasks back: never an empty store in its place. A store gone or emptied while
// backups hold what it had is restored the same way; only a home that never had one starts empty.
import { existsSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { DamagedStoreError } from '../../errors/damaged-store.js';
import { homeFiles } from '../../home/files.js';
import { postNotice } from '../../home/notices.js';
import { refuseMigrationUnderOtherBuild } from '../../home/monitor-info.js';
import type { Logger } from '../../log/logger.js';
import {
  copyFile,
  copyNow,
  DamagedDatabaseError,
  openSqlite,
  quarantine,
  timestamp,
  type Db,
  type Migration,
  type OpenSqliteOptions,
} from '../../sqlite/index.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { withFileLock } from '../../util/file-lock.js';
import { readTextCapped, SMALL_MAX_BYTES } from '../../util/safe-read.js';
import { listBackups, takeBackupNow } from './backups.js';
import { movePluginStores } from './plugin-stores.js';

export interface StoreFileOptions {
  /**
   * The state directory whose store this is: backups are taken before migrations and a damaged store is restored
   * from them. Without it (a store elsewhere, `--db FILE`), damage is refused with the fix.
   */
  home?: string;
  log?: Logger;
  /** How long a write waits for another connection's write lock (SQLite's busy timeout); the opener's default else. */
  busyTimeoutMs?: number;
  /** See OpenSqliteOptions.autoCheckpoint; on by default. */
  autoCheckpoint?: boolean;
}

/** The options for the store at `file`: with `home`'s backups when it is that home's own tasks.db. */
export function storeFileOptions(file: string, home: string, log?: Logger): StoreFileOptions {
  return path.resolve(file) === homeFiles(home).tasks ? { home, ...(log ? { log } : {}) } : log ? { log } : {};
}

/** What a restore from a backup found and did (recovery.json). */
export interface Recovery {
  at: string;
  file: string;
  /** What was wrong with the store. */
  problem: string;
  /** Where the damaged store (and its -wal/-shm) now are; undefined when there was no file to keep. */
  movedTo?: string;
  backup: string;
  backupTakenAt: string;
}

/** How long an opener or a restore by hand waits for another process that is restoring the store. */
const RESTORE_WAIT_MS = 30_000;

/**
 * Runs `fn` holding the lock every restore of the store at `file` takes (from a backup at open, or by hand), waiting
 * for one in progress elsewhere: two restores at once would each move the other's result aside.
 */
export function withRestoreLock<T>(file: string, fn: () => T): T {
  return withFileLock(`${file}.restoring`, RESTORE_WAIT_MS, fn);
}

/** Where this process prepares the copy that a restore then renames into `file`'s place. */
export const stagedFile = (file: string): string => `${file}.restore-${process.pid}`;

const RESTORE_FIX =
  '`taskhooks tasks restore` lists the backups and restores one (`taskhooks tasks restore FILE` restores any copy of tasks.db); to start over with an empty store, move the file and the backups folder aside yourself';

const minute = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** The one line that tells a person what happened. */
export function recoveryLine(r: Recovery): string {
  return (
    `Task store restored: ${r.file} was damaged (${r.problem}) and was replaced by the backup of ${minute(r.backupTakenAt)} (${path.basename(r.backup)}); ` +
    `changes made after that backup may be missing.${r.movedTo ? ` The damaged store is kept as ${r.movedTo}.` : ''}`
  );
}

/** The last restore of `home`'s store from a backup; undefined when there never was one (or the note is unreadable). */
export function readRecovery(home: string): Recovery | undefined {
  try {
    return JSON.parse(readTextCapped(homeFiles(home).recovery, SMALL_MAX_BYTES)) as Recovery;
  } catch {
    return undefined;
  }
}

/**
 * The file's pragmas. synchronous=FULL: with WAL, NORMAL already keeps every commit through a killed process (the
 * log is in the OS's hands), but a power cut may take the last few; this file is the only copy of people's work and
 * is written at human pace, so an fsync per commit is cheap insurance. No migration runs without a checked copy of
 * the file as it was: among the home's backups, or next to a store elsewhere.
 */
function sqliteOptions(file: string, migrations: readonly Migration[], options: StoreFileOptions): OpenSqliteOptions {
  const { home, log, busyTimeoutMs, autoCheckpoint } = options;
  return {
    ...(busyTimeoutMs === undefined ? {} : { busyTimeoutMs }),
    ...(autoCheckpoint === undefined ? {} : { autoCheckpoint }),
    migrations,
    privateFile: true,
    verify: true,
    synchronous: 'FULL',
    beforeMigrate: (db: Db, from: number) => {
      if (home)
        refuseMigrationUnderOtherBuild(
          home,
          `${path.basename(file)} is at schema ${from} and this build moves it to ${migrations.length}`,
        );
      const copy = home
        ? takeBackupNow(db, homeFiles(home).backups, 'migration').file
        : copyNow(db, `${file}.before-migration-${timestamp()}`).file;
      log?.info({ backup: copy, from, to: migrations.length }, 'task store backed up before its schema migration');
    },
  };
}

function refuse(file: string, damage: DamagedDatabaseError, fix: string): DamagedStoreError {
  return new DamagedStoreError(file, damage.cause.message, fix, { cause: damage });
}

/**
 * Why the home's store at `file` is gone while its backups hold a store that had been written to: no file, or an
 * empty one (SQLite would take either for a new store). Undefined when it is there, or when no backup says there
 * ever was anything in it (a first run).
 */
function lostStore(file: string, home: string): string | undefined {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (stat && !(stat.isFile() && stat.size === 0)) return undefined;
  const held = listBackups(homeFiles(home).backups).find((b) => (b.generation ?? 0) > 0);
  if (!held) return undefined;
  return stat ? 'the file was empty' : 'the file was missing';
}

/**
 * Under the restore lock: the newest backup that survives a checked copy, put in the place of the store, which had
 * `problem`; `refusal` says why none could be, given how many backups there were.
 */
function restoreNewest(
  file: string,
  problem: string,
  refusal: (none: string) => DamagedStoreError,
  sqlite: OpenSqliteOptions,
  home: string,
  log?: Logger,
): { db: Db; recovered: Recovery } {
  const dir = homeFiles(home).backups;
  const backups = listBackups(dir);
  for (const backup of backups) {
    const staged = stagedFile(file);
    try {
      copyFile(backup.file, staged);
    } catch (err) {
      log?.warn({ err, backup: backup.file }, 'backup unusable, trying an older one');
      continue;
    }
    let movedTo: string;
    try {
      movedTo = quarantine(file, { label: 'damaged', replacement: staged, ...(log ? { log } : {}) });
    } finally {
      rmSync(staged, { force: true }); // renamed into place unless the move failed
    }
    const recovered: Recovery = {
      at: new Date().toISOString(),
      file,
      problem,
      // A missing store leaves nothing aside (its -wal/-shm, if any, are under that name with their suffix).
      ...(existsSync(movedTo) ? { movedTo } : {}),
      backup: backup.file,
      backupTakenAt: backup.takenAt.toISOString(),
    };
    writeFileAtomic(homeFiles(home).recovery, `${JSON.stringify(recovered, null, 2)}\n`, 0o600);
    const line = recoveryLine(recovered);
    log?.error({ ...recovered }, line);
    postNotice(home, line);
    return { db: openSqlite(file, sqlite), recovered };
  }
  throw refusal(
    backups.length === 0
      ? `there is no backup in ${dir}. ${RESTORE_FIX}`
      : `none of the ${backups.length} backups in ${dir} passed its check. ${RESTORE_FIX}`,
  );
}

/**
 * Under the restore lock: the store opened, or restored when it is lost or damaged. Checked again here, since another
 * process may have restored it while this one waited for the lock.
 */
function openOrRestore(
  file: string,
  sqlite: OpenSqliteOptions,
  home: string,
  own: boolean,
  log?: Logger,
): { db: Db; recovered?: Recovery } {
  const lost = own ? lostStore(file, home) : undefined;
  if (lost) return restoreNewest(file, lost, (none) => new DamagedStoreError(file, lost, none), sqlite, home, log);
  try {
    return { db: openSqlite(file, sqlite) };
  } catch (err) {
    if (!(err instanceof DamagedDatabaseError)) throw err;
    return restoreNewest(file, err.cause.message, (none) => refuse(file, err, none), sqlite, home, log);
  }
}

/**
 * Opens the task store at `file`, migrated to the end of `migrations`. A damaged one is restored from `home`'s newest
 * good backup (`recovered` says so); one that cannot be is refused with a DamagedStoreError, the file left in place.
 */
export function openStoreFile(
  file: string,
  migrations: readonly Migration[],
  options: StoreFileOptions,
): { db: Db; recovered?: Recovery } {
  const sqlite = sqliteOptions(file, migrations, options);
  const { home, log } = options;
  const own = home !== undefined && path.resolve(file) === homeFiles(home).tasks;
  if (own) movePluginStores(home, log ? { log } : {});
  if (own && lostStore(file, home)) return withRestoreLock(file, () => openOrRestore(file, sqlite, home, own, log));
  try {
    return { db: openSqlite(file, sqlite) };
  } catch (err) {
    if (!(err instanceof DamagedDatabaseError)) throw err;
    if (!home)
      throw refuse(
        file,
        err,
        'no backups are kept for a store outside the state directory: put a copy of it in its place, or move it aside to start with an empty one',
      );
    return withRestoreLock(file, () => openOrRestore(file, sqlite, home, own, log));
  }
}
