// The shared store suite on the SQLite engine: each connection its own better-sqlite3 handle on one tasks.db.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { openTaskDb, sqliteStore } from '../../src/server/db/index.js';
import { openStoreFile } from '../../src/server/db/recover.js';
import { TASK_DB_MIGRATIONS } from '../../src/server/db/schema.js';
import { storeSuite, type StoreFixture } from './store-suite.js';
import { requestSuite } from './store-requests.js';

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
