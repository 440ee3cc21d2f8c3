// The read-only reader's route through a store this process holds open (the monitor's): the held connection answers
// while it is free, the file answers while a write of this process is open on it, and a release ends the route.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTaskDb, type TaskDb } from '../../../src/store/index.js';
import { readStore, readThrough } from '../../../src/store/tasks-db/reader.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-reader-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const titles = (file: string): string[] | undefined =>
  readStore(file, (reads) => {
    const [project] = reads.listProjects();
    return project ? reads.listTasks({ projectId: project.id }).tasks.map((t) => t.title) : [];
  });

describe('readStore through a held store', () => {
  it('reads through the store held for its file, and opens the file again once it is released', () => {
    // A stand-in held for a file that does not exist: only the held store can answer for it.
    const file = path.join(tempDir(), 'tasks.db');
    const held = {
      file,
      db: { inTransaction: false, transaction: (fn: () => unknown) => () => fn() },
      generation: () => 0,
      listProjects: () => [{ id: 'p1', name: 'held' }],
    } as unknown as TaskDb;
    const release = readThrough(held);
    expect(readStore(path.join(path.dirname(file), '.', 'tasks.db'), (r) => r.listProjects()[0]?.name)).toBe('held');
    release();
    expect(readStore(file, (r) => r.listProjects())).toBeUndefined();
  });

  it('reads the file, not the held connection, while a write of this process is open on it', () => {
    const file = path.join(tempDir(), 'tasks.db');
    const db = openTaskDb(file);
    cleanups.push(() => db.close());
    const shop = db.ensureProject('shop');
    db.createTask({ projectId: shop.id, title: 'Committed' });
    cleanups.push(readThrough(db));
    expect(titles(file)).toEqual(['Committed']);
    db.db.exec('BEGIN IMMEDIATE');
    db.createTask({ projectId: shop.id, title: 'Not yet committed' });
    try {
      expect(titles(file)).toEqual(['Committed']);
    } finally {
      db.db.exec('COMMIT');
    }
    expect(titles(file)?.sort()).toEqual(['Committed', 'Not yet committed']);
  });
});
