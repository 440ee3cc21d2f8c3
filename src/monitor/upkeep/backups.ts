// The task store's backups, on the monitor's clock: one when it starts hosting the store, then on
// `monitor.backupSchedule` whenever the tasks changed since the last one, pruned to `monitor.backupKeep` and
// `monitor.backupMaxAgeDays`. A store that did not change is not copied again, so an idle monitor stays idle.
import type { MonitorSettings } from '../../config/settings.js';
import { homeFiles } from '../../home/files.js';
import type { Logger } from '../../log/logger.js';
import { scheduleJob } from '../refresh/schedule.js';
import { listBackups, pruneBackups, type BackupInfo, type BackupReason, type TaskDb } from '../../store/index.js';

export interface BackupLoop {
  /** Stops the schedule and waits for a backup in flight. */
  close(): Promise<void>;
}

export function scheduleBackups(args: {
  db: TaskDb;
  home: string;
  settings: Pick<MonitorSettings, 'backupSchedule' | 'backupKeep' | 'backupMaxAgeDays'>;
  log: Logger;
}): BackupLoop {
  const { db, log, settings } = args;
  const dir = homeFiles(args.home).backups;
  // "Changed" is the store's generation, which every process's writes move on (this monitor's, a session's
  // `taskhooks mcp`, the CLI while no monitor ran): compared with the newest backup's, whoever took it.
  let backedUp = listBackups(dir)[0]?.generation;
  let running: Promise<BackupInfo | undefined> | undefined;

  /** Backs up if the store changed since the last backup; resolves with it, or undefined (unchanged, failed). */
  const runNow = (reason: BackupReason): Promise<BackupInfo | undefined> => {
    if (running) return running;
    const generation = db.generation();
    if (generation === backedUp) {
      log.debug({ reason, generation }, 'task store unchanged since its last backup: none taken');
      return Promise.resolve(undefined);
    }
    running = db
      .backup(dir, reason)
      .then(
        (info) => {
          // Read from the copy: writes made while it was taken are in it, and later ones are the next run's.
          backedUp = info.generation;
          const pruned = pruneBackups(
            dir,
            { keep: settings.backupKeep, maxAgeDays: settings.backupMaxAgeDays },
            { taken: info.file, log },
          );
          log.info(
            { backup: info.file, bytes: info.bytes, reason, generation: backedUp, pruned },
            'task store backed up',
          );
          return info;
        },
        (err: unknown) => {
          log.error({ err, dir, reason }, 'task store backup failed; the next scheduled run tries again');
          return undefined;
        },
      )
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const schedule = scheduleJob(settings.backupSchedule, () => runNow('scheduled'), { name: 'backups', log });
  void runNow('start');
  return {
    close: async () => {
      await schedule.stop();
      await running;
    },
  };
}
