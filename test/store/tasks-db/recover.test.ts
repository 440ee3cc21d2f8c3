// The home's task store gone or emptied while its backups hold what it had: restored like a damaged one (the empty
// file kept aside, said once), never started over empty; a first run still starts empty and silent. Damage restores
// the copy of the highest generation, whatever the clock named it. Real SQLite files in a temp home.
import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { takeNotices } from '../../../src/home/notices.js';
import { listBackups, openTaskDb, readRecovery, type TaskDb } from '../../../src/store/index.js';
import { tempDir } from '../../foundation/helpers.js';

let tmp: ReturnType<typeof tempDir>;
let home: string;
let tasksFile: string;
let backups: string;
const open: TaskDb[] = [];

beforeEach(() => {
  tmp = tempDir('th-recover-');
  home = tmp.dir;
  tasksFile = path.join(home, 'tasks.db');
  backups = path.join(home, 'backups');
});

afterEach(() => {
  for (const db of open.splice(0)) db.close();
  tmp.remove();
});

function store(): TaskDb {
  const db = openTaskDb(tasksFile, { home });
  open.push(db);
  return db;
}

/** Adds `titles` to project "demo" and closes the store again. */
function add(...titles: string[]): void {
  const db = openTaskDb(tasksFile, { home });
  const project = db.ensureProject('demo');
  for (const title of titles) db.createTask({ projectId: project.id, title });
  db.close();
}

async function backupNow(): Promise<string> {
  const db = openTaskDb(tasksFile, { home });
  try {
    return (await db.backup(backups, 'manual')).file;
  } finally {
    db.close();
  }
}

const titles = (db: TaskDb): string[] => db.listTasks({ limit: 100, sortBy: 'created_at' }).tasks.map((t) => t.title);

function removeStore(): void {
  for (const f of [tasksFile, `${tasksFile}-wal`, `${tasksFile}-shm`]) rmSync(f, { force: true });
}

describe('a store gone while its backups hold tasks', () => {
  it('emptied to 0 bytes: the newest backup restored, the empty file kept aside, said once', async () => {
    add('Task A', 'Task B');
    const backup = await backupNow();
    removeStore();
    writeFileSync(tasksFile, '');
    const db = store();
    expect(titles(db)).toEqual(['Task A', 'Task B']);
    expect(db.recovered).toMatchObject({ file: tasksFile, backup, problem: 'the file was empty' });
    const [aside] = readdirSync(home).filter((f) => /^tasks\.db\.damaged-\d{8}T\d{6}Z-\d+$/.test(f));
    expect(db.recovered?.movedTo).toBe(path.join(home, aside ?? 'none'));
    expect(readRecovery(home)).toEqual(db.recovered);
    const said = `Task store restored: ${tasksFile} was damaged (the file was empty) and was replaced by the backup of `;
    const [notice] = takeNotices(home, 'cli');
    expect(notice?.startsWith(said)).toBe(true);
    expect(notice).toContain(`The damaged store is kept as ${db.recovered?.movedTo}.`);
  });

  it('removed: the newest backup restored, nothing said to be kept aside', async () => {
    add('Task A', 'Task B');
    const backup = await backupNow();
    removeStore();
    const db = store();
    expect(titles(db)).toEqual(['Task A', 'Task B']);
    expect(db.recovered).toMatchObject({ backup, problem: 'the file was missing' });
    expect(db.recovered?.movedTo).toBeUndefined();
    const [notice] = takeNotices(home, 'session');
    expect(notice).toMatch(/changes made after that backup may be missing\.$/);
    expect(readdirSync(home).filter((f) => f.startsWith('tasks.db.'))).toEqual([]);
  });

  it('a first run, or backups only of a store nothing was written to: an empty store, silently', async () => {
    expect(titles(store())).toEqual([]);
    await backupNow();
    for (const db of open.splice(0)) db.close();
    removeStore();
    const db = store();
    expect(db.recovered).toBeUndefined();
    expect(takeNotices(home, 'cli')).toEqual([]);
  });

  it('another store file of the home is not restored from its backups', async () => {
    add('Task A');
    await backupNow();
    const other = openTaskDb(path.join(home, 'other.db'), { home });
    open.push(other);
    expect(other.recovered).toBeUndefined();
    expect(titles(other)).toEqual([]);
  });
});

describe('a damaged store with a backup named while the clock was ahead', () => {
  it('restores the copy of the highest generation, not the one named latest', async () => {
    add('Task A');
    const early = await backupNow();
    const ahead = new Date(Date.now() + 2 * 3_600_000).toISOString().replace(/[-:]/g, '');
    const future = path.join(backups, `tasks-${ahead}-manual.db`);
    renameSync(early, future);
    add('Task B', 'Task C');
    const newest = await backupNow();
    expect(listBackups(backups).map((b) => b.file)).toEqual([newest, future]);
    removeStore();
    writeFileSync(tasksFile, Buffer.alloc(4096, 0x41));
    const db = store();
    expect(db.recovered?.backup).toBe(newest);
    expect(titles(db)).toEqual(['Task A', 'Task B', 'Task C']);
  });
});
