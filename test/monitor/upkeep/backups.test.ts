// The monitor's backup loop on a real store in a temp home: the backup it takes survives the prune after it, however
// many older copies a clock that was ahead named in the future.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scheduleBackups } from '../../../src/monitor/upkeep/backups.js';
import { listBackups, openTaskDb } from '../../../src/store/index.js';
import { takeBackupNow } from '../../../src/store/tasks-db/backups.js';
import { silentLogger } from '../../helpers/cache.js';
import { tempDir } from '../../foundation/helpers.js';

const NEVER = '0 0 1 1 *';
let tmp: ReturnType<typeof tempDir>;

beforeEach(() => {
  tmp = tempDir('th-backup-loop-');
});
afterEach(() => tmp.remove());

describe('scheduleBackups', () => {
  it('keeps its start backup, the newest, when backupKeep copies are named after it', async () => {
    const home = tmp.dir;
    const backups = path.join(home, 'backups');
    const db = openTaskDb(path.join(home, 'tasks.db'), { home });
    try {
      const project = db.ensureProject('demo');
      for (let i = 0; i < 3; i++) {
        db.createTask({ projectId: project.id, title: `task ${i}` });
        takeBackupNow(db.db, backups, 'scheduled', new Date(Date.now() + (i + 2) * 3_600_000));
      }
      db.createTask({ projectId: project.id, title: 'today' });
      const loop = scheduleBackups({
        db,
        home,
        settings: { backupSchedule: NEVER, backupKeep: 3, backupMaxAgeDays: 30 },
        log: silentLogger(),
      });
      await loop.close();
      const [newest, ...rest] = listBackups(backups);
      expect(newest?.reason).toBe('start');
      expect(newest?.generation).toBe(db.generation());
      expect(rest).toHaveLength(2);
    } finally {
      db.close();
    }
  });
});
