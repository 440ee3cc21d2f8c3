// The order of the task store's backups and what pruning keeps, on real SQLite copies in a temp home: newest is the
// highest store generation, whatever the clock named a copy, and neither a clock that was ahead nor a store whose
// generation went back loses a copy that matters.
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listBackups, openTaskDb, pruneBackups, type TaskDb } from '../../../src/store/index.js';
import { takeBackupNow } from '../../../src/store/tasks-db/backups.js';
import { tempDir } from '../../foundation/helpers.js';

let tmp: ReturnType<typeof tempDir>;
let backups: string;
const open: TaskDb[] = [];

beforeEach(() => {
  tmp = tempDir('th-backups-');
  backups = path.join(tmp.dir, 'backups');
});

afterEach(() => {
  for (const db of open.splice(0)) db.close();
  tmp.remove();
});

/** A store of its own in the temp home (not the home's tasks.db, so no restore interferes). */
function store(name = 'tasks.db'): TaskDb {
  const db = openTaskDb(path.join(tmp.dir, 'stores', name));
  open.push(db);
  return db;
}

function add(db: TaskDb, title: string): void {
  db.createTask({ projectId: db.ensureProject('demo').id, title });
}

const HOUR = 3_600_000;
const ahead = (hours: number): Date => new Date(Date.now() + hours * HOUR);

describe('listBackups', () => {
  it('puts the highest generation first, however far ahead an older copy was named', () => {
    const db = store();
    add(db, 'Task A');
    const early = takeBackupNow(db.db, backups, 'manual', ahead(2));
    add(db, 'Task B');
    const later = takeBackupNow(db.db, backups, 'manual');
    expect(later.generation).toBeGreaterThan(early.generation ?? Infinity);
    expect(listBackups(backups).map((b) => b.name)).toEqual([later.name, early.name]);
  });

  it('orders copies of the same generation by the time in their names', () => {
    const db = store();
    add(db, 'Task A');
    const first = takeBackupNow(db.db, backups, 'scheduled', new Date(Date.now() - HOUR));
    const second = takeBackupNow(db.db, backups, 'manual');
    expect(listBackups(backups).map((b) => b.name)).toEqual([second.name, first.name]);
  });

  it('lists a copy it cannot read last, and a folder named like a backup not at all', () => {
    const db = store();
    add(db, 'Task A');
    const good = takeBackupNow(db.db, backups, 'manual');
    const named = (hours: number): string =>
      path.join(backups, `tasks-${ahead(hours).toISOString().replace(/[-:]/g, '')}-manual.db`);
    const junk = named(1);
    writeFileSync(junk, Buffer.alloc(4096, 0x41));
    mkdirSync(named(2));
    expect(listBackups(backups).map((b) => [b.name, b.generation])).toEqual([
      [good.name, good.generation],
      [path.basename(junk), undefined],
    ]);
  });
});

describe('pruneBackups', () => {
  it('never removes the backup just taken, however many copies were named in the future', () => {
    const db = store();
    for (let i = 0; i < 12; i++) {
      add(db, `task ${i}`);
      takeBackupNow(db.db, backups, 'scheduled', ahead(2 + i));
    }
    add(db, 'today');
    const taken = takeBackupNow(db.db, backups, 'manual');
    const pruned = pruneBackups(backups, { keep: 12, maxAgeDays: 30 }, { taken: taken.file });
    expect(pruned).toHaveLength(1);
    expect(pruned).not.toContain(taken.name);
    expect(listBackups(backups)[0]?.name).toBe(taken.name);
  });

  it('keeps the copy of a store whose generation went back, however many copies came after it', () => {
    const before = store('before.db');
    for (const title of ['Task A', 'Task B', 'Task C', 'Task D']) add(before, title);
    const held = takeBackupNow(before.db, backups, 'manual', new Date(Date.now() - 10 * HOUR));
    // The store started over: its copies are newer by the clock, and of lower generations.
    const after = store('after.db');
    for (let i = 0; i < 3; i++) {
      after.ensureProject(`p${i}`);
      const taken = takeBackupNow(after.db, backups, 'scheduled', new Date(Date.now() - (3 - i) * HOUR));
      pruneBackups(backups, { keep: 2, maxAgeDays: 30 }, { taken: taken.file });
    }
    expect(after.generation()).toBeLessThan(held.generation ?? 0);
    expect(readdirSync(backups)).toContain(held.name);
  });

  it('leaves a folder named like a backup alone instead of failing the backup that ran it', () => {
    const db = store();
    add(db, 'Task A');
    const old = takeBackupNow(db.db, backups, 'scheduled', new Date(Date.now() - 40 * 86_400_000));
    add(db, 'Task B');
    const taken = takeBackupNow(db.db, backups, 'manual');
    // A folder in an old backup's place: listed as no backup, and so never removed.
    renameSync(old.file, `${old.file}.moved`);
    mkdirSync(old.file);
    expect(pruneBackups(backups, { keep: 1, maxAgeDays: 30 }, { taken: taken.file })).toEqual([]);
    expect(readdirSync(backups).sort()).toEqual([old.name, `${old.name}.moved`, taken.name].sort());
  });
});
