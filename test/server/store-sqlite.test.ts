// The shared store suite on the SQLite engine: each connection its own better-sqlite3 handle on one tasks.db.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openTaskDb, sqliteStore } from '../../src/server/db/index.js';
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
