// A check that a task server and its readers agree, run on both engines: one SQLite store that is served and written
// to, and two PostgreSQL stores on one database (served through one, written through the other, so changes cross
// processes as they do between `serve` processes). Each seed is one run of the check.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { openCache, type Cache } from '../../src/cache/cache.js';
import type { SourceSettings } from '../../src/sources/plan.js';
import type { Logger } from '../../src/log/logger.js';
import { openTaskDb, sqliteStore, startHttpServer, type TaskStore } from '../../src/server/index.js';
import { openPostgresStore } from '../../src/server/db/postgres/store.js';
import { openSource } from '../../src/sources/open.js';
import type { TaskSource } from '../../src/sources/source.js';
import { silentLogger } from './cache.js';
import { postgresForFile } from './postgres.js';
import { sourceOf } from './settings.js';

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

export interface ServedSource {
  home: string;
  cache: Cache;
  settings: SourceSettings;
  /** The agenthub reader over the served store's `POST /mcp`. */
  source: TaskSource;
  close(): Promise<void>;
}

const TOKEN = 'engines-served-token-0123456789abcdefgh';

/** `served` behind a real task server on 127.0.0.1, and a home with a cache and the source that reads it. */
export async function servedSource(served: TaskStore, log: Logger): Promise<ServedSource> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-served-'));
  const server = await startHttpServer({
    store: served,
    log: silentLogger(),
    auth: { tokens: [{ principal: 'test', token: TOKEN, tools: ['*'] }] },
    rateLimitPerMinute: 100_000,
  });
  const cache = openCache({ home });
  const settings = sourceOf({ source: { servers: [server.url], timeoutMs: 10_000 }, auth: { token: TOKEN } });
  const source = openSource({ source: settings, home, cache, log });
  return {
    home,
    cache,
    settings,
    source,
    close: async () => {
      await source.close();
      await server.close();
      cache.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
