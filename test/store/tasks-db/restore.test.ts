// A restore by hand puts an older copy back on purpose: the store it brings back counts as newer than every backup
// of the history it replaced, so later backups of it come first and a later damage restores them, not that history.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listBackups, openTaskDb, restoreStore } from '../../../src/store/index.js';
import { tempDir } from '../../foundation/helpers.js';

let tmp: ReturnType<typeof tempDir>;
let home: string;
let tasksFile: string;
let backups: string;

beforeEach(() => {
  tmp = tempDir('th-restore-');
  home = tmp.dir;
  tasksFile = path.join(home, 'tasks.db');
  backups = path.join(home, 'backups');
});

afterEach(() => tmp.remove());

describe('restoreStore', () => {
  it('moves the restored store past the generation of every backup and of the store it replaced', async () => {
    const db = openTaskDb(tasksFile, { home });
    const project = db.ensureProject('demo');
    db.createTask({ projectId: project.id, title: 'Task A' });
    const old = await db.backup(backups, 'manual');
    for (const title of ['Task B', 'Task C', 'Task D']) db.createTask({ projectId: project.id, title });
    const later = await db.backup(backups, 'manual');
    db.createTask({ projectId: project.id, title: 'Task E' });
    const replaced = db.generation();
    db.close();

    restoreStore(home, old.file);
    const restored = openTaskDb(tasksFile, { home });
    try {
      expect(restored.countTasks()).toBe(1);
      expect(restored.generation()).toBe(Math.max(replaced, later.generation ?? 0) + 1);
      const next = await restored.backup(backups, 'manual');
      expect(listBackups(backups)[0]?.file).toBe(next.file);
    } finally {
      restored.close();
    }
  });
});
