// A check that a task server and its readers agree, run on both engines: one SQLite store that is served and written
// to, and two PostgreSQL stores on one database (served through one, written through the other, so changes cross
// processes as they do between `serve` processes). Each seed is one run of the check.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { openTaskDb, sqliteStore, type TaskStore } from '../../src/server/index.js';
import { openPostgresStore } from '../../src/server/db/postgres/store.js';
import { postgresForFile } from './postgres.js';

export type EngineCheck = (served: TaskStore, store: TaskStore, seed: number) => Promise<void>;

const SEEDS = [1, 2, 3, 42];

export function onBothEngines(title: string, check: EngineCheck): void {
  describe(title, () => {
    it('on SQLite', async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-engines-'));
      const db = openTaskDb(path.join(dir, 'tasks.db'));
      try {
        const store = sqliteStore(db);
        for (const seed of SEEDS) await check(store, store, seed);
      } finally {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    describe('on PostgreSQL', () => {
      const pg = postgresForFile();

      it('with two stores on one database: written through one, served by the other', async () => {
        const url = await pg.createDatabase();
        const served = await openPostgresStore({ connectionString: url });
        const writer = await openPostgresStore({ connectionString: url, maxConnections: 2 });
        try {
          for (const seed of SEEDS) await check(served, writer, seed);
        } finally {
          await served.close();
          await writer.close();
        }
      });
    });
  });
}
