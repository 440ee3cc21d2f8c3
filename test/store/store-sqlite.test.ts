// The shared store suite on the SQLite engine: each connection its own better-sqlite3 handle on one tasks.db.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { openTaskDb, sqliteStore } from '../../src/store/index.js';
import { openStoreFile } from '../../src/store/tasks-db/recover.js';
import { TASK_DB_MIGRATIONS } from '../../src/store/schema.js';
import { storeSuite, type StoreFixture } from './store-suite.js';
import { requestSuite } from './store-requests.js';
import { tenantSuite } from './tenants.js';
import { workRecordSuite } from './work-record-suite.js';
import { STORE_BEFORE_KEYS, expectKeptByProject } from './key-migration.js';

const fixture = async (): Promise<StoreFixture> => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-store-'));
  const file = path.join(dir, 'tasks.db');
  const store = sqliteStore(openTaskDb(file));
  return {
    store,
    connect: async () => sqliteStore(openTaskDb(file)),
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

storeSuite('SQLite', fixture);
requestSuite('SQLite', fixture);
workRecordSuite('SQLite', fixture);
tenantSuite('SQLite', async () => {
  const f = await fixture();
  return { store: f.store, close: f.close };
});

it('a store whose tombstones were kept by task alone keeps them, each under its project', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-tombstones-'));
  const file = path.join(dir, 'tasks.db');
  try {
    // A store as the release before tombstones were kept per project left it, with one task deleted.
    const { db: old } = openStoreFile(file, TASK_DB_MIGRATIONS.slice(0, 5), {});
    old.prepare("INSERT INTO projects (id, name, created_at, updated_at) VALUES ('p', 'demo', 'then', 'then')").run();
    old.prepare("INSERT INTO task_tombstones VALUES ('TASK-009', 'p', 1, ?)").run(new Date().toISOString());
    old.prepare("UPDATE store_meta SET value = 1 WHERE key = 'change_seq'").run();
    old.close();
    const store = sqliteStore(openTaskDb(file));
    try {
      expect(await store.changesSince({ projectId: 'p' }, 0)).toMatchObject({ full: false, deletedIds: ['TASK-009'] });
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it("a store from before per-project sequences keeps its ids and its readers' cursors; projects count apart after", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-per-project-'));
  const file = path.join(dir, 'tasks.db');
  try {
    // The release before left one sequence for the store (at 4), ids handed out across two projects, and a reader of
    // alpha at 3, before its TASK-003 was deleted.
    const { db: old } = openStoreFile(file, TASK_DB_MIGRATIONS.slice(0, 7), {});
    old.exec(`
      INSERT INTO projects (id, name, created_at, updated_at) VALUES ('pa', 'alpha', 'then', 'then'), ('pb', 'beta', 'then', 'then');
      INSERT INTO tasks (id, project_id, title, status, priority, created_at, updated_at, change_seq) VALUES
        ('TASK-001', 'pa', 'a1', 'todo', 'medium', 'then', 'then', 1),
        ('TASK-002', 'pb', 'b1', 'todo', 'medium', 'then', 'then', 2);
      INSERT INTO id_counters VALUES ('pa', 'TASK', 3), ('pb', 'TASK', 2);
      INSERT INTO task_tombstones VALUES ('TASK-003', 'pa', 4, '${new Date().toISOString()}');
      UPDATE store_meta SET value = 4 WHERE key = 'change_seq';
    `);
    old.close();
    const store = sqliteStore(openTaskDb(file));
    try {
      expect((await store.getTask('TASK-001'))?.title).toBe('a1');
      expect((await store.getTask('TASK-002'))?.title).toBe('b1');
      // Each project starts at the store's sequence: a reader's cursor from before is answered as a delta.
      expect((await store.listingScope({ project: 'alpha' })).sequence).toBe(4);
      expect((await store.listingScope({ project: 'beta' })).sequence).toBe(4);
      expect(await store.changesSince({ projectId: 'pa' }, 3)).toEqual({
        full: false,
        sequence: 4,
        tasks: [],
        deletedIds: ['TASK-003'],
      });
      await store.createTask({ projectId: 'pb', title: 'b2' });
      expect((await store.listingScope({ project: 'alpha' })).sequence).toBe(4);
      expect((await store.listingScope({ project: 'beta' })).sequence).toBe(5);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('a store from before tasks were keyed by project keeps every task, id, dependency and note', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-task-keys-'));
  const file = path.join(dir, 'tasks.db');
  try {
    // Migration 9 keys tasks by project and id.
    const keyed = 8;
    const { db: old } = openStoreFile(file, TASK_DB_MIGRATIONS.slice(0, keyed), {});
    old.exec(STORE_BEFORE_KEYS);
    old.close();
    const store = sqliteStore(openTaskDb(file));
    try {
      await expectKeptByProject(store);
      // The rebuilt tables are what a new store makes: nothing left of the old ones, every foreign key holding.
      const db = openTaskDb(file);
      try {
        const tables = db.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'task%'").all();
        expect(tables.map((t) => (t as { name: string }).name).sort()).toEqual([
          'task_notes',
          'task_tombstones',
          'tasks',
        ]);
        expect(db.db.pragma('foreign_key_check')).toEqual([]);
      } finally {
        db.close();
      }
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
