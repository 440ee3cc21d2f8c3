// The shared store suite on the PostgreSQL engine, against a real server the harness starts for this file: each
// test on a fresh database, each extra connection its own pool, as another serve process would have.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/server/db/postgres/store.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { storeSuite } from './store-suite.js';

let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

storeSuite('PostgreSQL', async () => {
  const url = await server.createDatabase();
  const store = await openPostgresStore({ connectionString: url });
  return {
    store,
    connect: () => openPostgresStore({ connectionString: url, maxConnections: 2 }),
    close: () => store.close(),
  };
});

it('several processes starting at once on one new database migrate it once, and each hears the others’ changes', async () => {
  const url = await server.createDatabase();
  const stores = await Promise.all(Array.from({ length: 5 }, () => openPostgresStore({ connectionString: url, maxConnections: 2 })));
  try {
    const heard: string[][] = stores.map(() => []);
    stores.forEach((s, i) => s.subscribeChanges((c) => heard[i]!.push(...c.taskIds)));
    const { project } = await stores[0]!.getOrCreateProject({ name: 'team' });
    const t = await stores[1]!.createTask({ projectId: project.id, title: 'seen everywhere' });
    await expect.poll(() => heard.every((h) => h.includes(t.id))).toBe(true);
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
});
