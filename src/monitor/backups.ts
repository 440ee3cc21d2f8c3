// The task store's backups, on the monitor's clock: one when it starts hosting the store, then on
// `monitor.backupSchedule` whenever the tasks changed since the last one, pruned to `monitor.backupKeep` and
// `monitor.backupMaxAgeDays`. A store that did not change is not copied again, so an idle monitor stays idle.
import cron from 'node-cron';
import type { MonitorSettings } from '../config/settings.js';
import { homeFiles } from '../home/files.js';
import type { Logger } from '../log/logger.js';
import { listBackups, pruneBackups, storeWrittenSince, type BackupInfo, type BackupReason, type TaskDb } from '../server/db/index.js';

export interface BackupLoop {
  /** Backs up now if the store changed since the last backup; resolves with it, or undefined (unchanged, failed). */
  runNow(reason: BackupReason): Promise<BackupInfo | undefined>;
  /** Stops the schedule and waits for a backup in flight. */
  close(): Promise<void>;
}

export function scheduleBackups(args: { db: TaskDb; home: string; settings: Pick<MonitorSettings, 'backupSchedule' | 'backupKeep' | 'backupMaxAgeDays'>; log: Logger }): BackupLoop {
  const { db, log, settings } = args;
  const dir = homeFiles(args.home).backups;
  let last = listBackups(dir)[0]?.takenAt.getTime();
  // This process's own writes are heard as they commit; another process's (a session's `taskhooks mcp`) show in the
  // store's files' modification times.
  let heard = false;
  const undo = db.onChange(() => {
    heard = true;
  });
  let running: Promise<BackupInfo | undefined> | undefined;

  const runNow = (reason: BackupReason): Promise<BackupInfo | undefined> => {
    if (running) return running;
    if (last !== undefined && !heard && !storeWrittenSince(db.file, last)) {
      log.debug({ reason }, 'task store unchanged since its last backup: none taken');
      return Promise.resolve(undefined);
    }
    heard = false;
    const startedAt = Date.now();
    running = db
      .backup(dir, reason)
      .then(
        (info) => {
          // Writes made while it copied are newer than `startedAt`: the next run takes them.
          last = startedAt;
          const pruned = pruneBackups(dir, { keep: settings.backupKeep, maxAgeDays: settings.backupMaxAgeDays });
          log.info({ backup: info.file, bytes: info.bytes, reason, pruned }, 'task store backed up');
          return info;
        },
        (err: unknown) => {
          heard = true;
          log.error({ err, dir, reason }, 'task store backup failed; the next scheduled run tries again');
          return undefined;
        },
      )
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const schedule = cron.schedule(settings.backupSchedule, () => runNow('scheduled').then(() => undefined), { noOverlap: true, name: 'backups' });
  void runNow('start');
  return {
    runNow,
    close: async () => {
      await schedule.destroy();
      undo();
      await running;
    },
  };
}
