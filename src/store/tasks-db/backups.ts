// Checked copies of the task store in the state directory's backups/ folder: named by when and why they were taken,
// listed newest first by the store generation each holds, and pruned by count and age, never down to none.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../log/logger.js';
import { namesIn } from '../../util/dir.js';
import { isProcessAlive } from '../../util/file-lock.js';
import { backupOnline, copyNow, readCopy, type Db } from '../../sqlite/index.js';

/**
 * Why a backup was taken: the monitor's start, its schedule, a schema migration, or a person (`tasks backup`);
 * `delete` names the copies earlier releases took before each delete.
 */
export type BackupReason = 'start' | 'scheduled' | 'migration' | 'manual' | 'delete';

export interface BackupInfo {
  file: string;
  name: string;
  takenAt: Date;
  reason: BackupReason;
  bytes: number;
  /** The store's generation the copy holds (see backupGeneration); undefined when it cannot be read. */
  generation: number | undefined;
}

export interface Retention {
  /** How many backups are kept at most. */
  keep: number;
  /** Backups older than this are dropped, except the newest one. */
  maxAgeDays: number;
}

const NAME =
  /^tasks-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z-(start|scheduled|migration|manual|delete)\.db$/;
const TEMP = /\.tmp-(\d+)$/;

/** tasks-20261122T102528.123Z-start.db: sorts by time, says why. */
function backupName(reason: BackupReason, at: Date): string {
  return `tasks-${at.toISOString().replace(/[-:]/g, '')}-${reason}.db`;
}

function parseName(name: string): { takenAt: Date; reason: BackupReason } | undefined {
  const m = NAME.exec(name);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms, reason] = m;
  return { takenAt: new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`), reason: reason as BackupReason };
}

/**
 * The backups in `dir`, newest first; none when the folder does not exist yet. Newest is the highest store generation
 * held, the time in the name only between equal ones: a clock that was ahead (dual boot, a VM's drift) names a copy
 * in the future, but never makes an older store look newer. A copy whose generation cannot be read comes last.
 */
export function listBackups(dir: string): BackupInfo[] {
  const found: BackupInfo[] = [];
  for (const name of namesIn(dir)) {
    const parsed = parseName(name);
    if (!parsed) continue;
    const file = path.join(dir, name);
    const stat = statSync(file, { throwIfNoEntry: false }); // none: pruned meanwhile
    if (!stat?.isFile()) continue;
    found.push({ file, name, ...parsed, bytes: stat.size, generation: backupGeneration(file) });
  }
  return found.sort((a, b) => (b.generation ?? -1) - (a.generation ?? -1) || b.takenAt.getTime() - a.takenAt.getTime());
}

function destination(dir: string, reason: BackupReason, at: Date): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return path.join(dir, backupName(reason, at));
}

function infoOf(file: string, reason: BackupReason, takenAt: Date, bytes: number): BackupInfo {
  return { file, name: path.basename(file), takenAt, reason, bytes, generation: backupGeneration(file) };
}

/** An online backup of `db` into `dir` (see backupOnline): the store stays usable throughout. */
export async function takeBackup(db: Db, dir: string, reason: BackupReason, at = new Date()): Promise<BackupInfo> {
  const copy = await backupOnline(db, destination(dir, reason, at));
  return infoOf(copy.file, reason, at, copy.bytes);
}

/** The same at once, for a caller that cannot wait (the opener, before a migration). */
export function takeBackupNow(db: Db, dir: string, reason: BackupReason, at = new Date()): BackupInfo {
  const copy = copyNow(db, destination(dir, reason, at));
  return infoOf(copy.file, reason, at, copy.bytes);
}

export interface PruneOptions {
  /** The backup just taken: kept whatever its place, or a store whose generation went back would lose it at once. */
  taken?: string;
  now?: number;
  log?: Logger;
}

/** Removes `file`; one that cannot be (in use on Windows, say) is logged and stays for the next prune. */
function removed(file: string, log: Logger | undefined): boolean {
  try {
    rmSync(file, { force: true });
    return true;
  } catch (err) {
    log?.warn({ err, file }, 'could not remove an old backup; the next prune tries again');
    return false;
  }
}

/**
 * Drops the backups beyond `keep` and those older than `maxAgeDays`, always keeping the newest one however old (a
 * store that stopped changing still has its copy) and the one just taken, and temporaries of copies whose process
 * died. As listBackups orders them, the one kept is the highest generation: a store that went back (emptied, or an
 * older copy put in place) never rotates the copy of what it held away. Returns the names removed.
 */
export function pruneBackups(dir: string, retention: Retention, options: PruneOptions = {}): string[] {
  const { taken, now = Date.now(), log } = options;
  const gone: string[] = [];
  const oldest = now - retention.maxAgeDays * 86_400_000;
  listBackups(dir).forEach((b, i) => {
    if (i === 0 || b.file === taken || (i < retention.keep && b.takenAt.getTime() >= oldest)) return;
    if (removed(b.file, log)) gone.push(b.name);
  });
  for (const name of namesIn(dir)) {
    const pid = Number(TEMP.exec(name)?.[1]);
    if (pid && pid !== process.pid && !isProcessAlive(pid) && removed(path.join(dir, name), log)) gone.push(name);
  }
  return gone;
}

/** The store's generation a backup was taken at; undefined when it cannot be read (or predates generations). */
export function backupGeneration(file: string): number | undefined {
  try {
    return readCopy(
      file,
      (db) =>
        (db.prepare("SELECT value FROM store_meta WHERE key = 'generation'").get() as { value: number } | undefined)
          ?.value,
    );
  } catch {
    return undefined;
  }
}
