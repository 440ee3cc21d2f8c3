// The store server lends its open store to this process's reads of that file (src/store/tasks-db/reader.ts): the
// monitor's hooks, refreshes and board read through it, opening no connection of their own, until it closes.
import { randomBytes } from 'node:crypto';
import { afterEach, expect, it, vi } from 'vitest';
import { openCache } from '../../../src/cache/cache.js';
import { loadSettings } from '../../../src/config/settings.js';
import { homeFiles } from '../../../src/home/files.js';
import { startStoreServer } from '../../../src/monitor/serve/store-server.js';
import { readCopy } from '../../../src/sqlite/index.js';
import { readStore } from '../../../src/store/tasks-db/reader.js';
import { silentLogger } from '../../helpers/cache.js';
import { hookEnv, tempHome } from '../../helpers/hooks.js';

vi.mock('../../../src/sqlite/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/sqlite/index.js')>();
  return { ...real, readCopy: vi.fn(real.readCopy) };
});

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it('reads the store through its own connection while it serves, and opens the file again once it closed', async () => {
  const t = tempHome({ monitor: { hookPort: 0, storeServerPort: 0 } });
  cleanups.push(t.cleanup);
  const { settings } = await loadSettings({ cwd: t.home, env: hookEnv(t.home) });
  const cache = openCache({ home: t.home });
  cleanups.push(() => cache.close());
  const log = silentLogger();
  const server = await startStoreServer({
    settings,
    log,
    cache,
    port: 0,
    token: `th_${randomBytes(32).toString('base64url')}`,
  });
  let serving = true;
  cleanups.push(() => serving && server.close());
  const file = homeFiles(t.home).tasks;
  const projects = () => readStore(file, (reads) => reads.listProjects().map((p) => p.name));

  await server.store.createProject({ name: 'shop' });
  expect(projects()).toEqual(['shop']);
  expect(readCopy).not.toHaveBeenCalled();

  serving = false;
  await server.close();
  const calls = vi.mocked(readCopy).mock.calls.length;
  expect(projects()).toEqual(['shop']);
  expect(readCopy).toHaveBeenCalledTimes(calls + 1);
});
