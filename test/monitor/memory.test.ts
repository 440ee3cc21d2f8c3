// What keeps the monitor small over days: its cache connection's page cache, and how it is launched.
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/cache/store.js';
import { loadSettings } from '../../src/config/settings.js';
import { startMonitor } from '../../src/monitor/daemon.js';
import { hookEnv, tempHome } from '../helpers/hooks.js';
import { waitFor } from './helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('monitor memory', () => {
  it("keeps 1 MiB of cache pages on the monitor's connection, SQLite's build default elsewhere", async () => {
    const t = tempHome({
      source: { servers: ['http://127.0.0.1:9/mcp'] },
      monitor: { hookPort: 0, taskSchedule: '0 0 1 1 *', gitSchedule: '0 0 1 1 *' },
    });
    cleanups.push(t.cleanup);
    const env = hookEnv(t.home);
    const { settings } = await loadSettings({ cwd: t.home, env });
    const result = await startMonitor({
      settings,
      env,
      services: {
        refreshTasks: async () => {
          throw new Error('no fetch in this test');
        },
        collectGitState: async () => null,
        runHook: async () => null,
        startEmbedded: async () => {
          throw new Error('no embedded server in this test');
        },
      },
    });
    if (!result.started) throw new Error('the monitor did not start');
    const { monitor } = result;
    cleanups.push(() => monitor.stop());
    // The start-up cycle and the log file's asynchronous open, so that stopping finds nothing in flight.
    await monitor.refreshNow();
    await waitFor('the monitor log to open', () => existsSync(monitor.logFile));
    expect(monitor.store.db.pragma('cache_size', { simple: true })).toBe(-1024);

    const other = openStore({ home: t.home });
    cleanups.push(() => other.close());
    expect(other.db.pragma('cache_size', { simple: true })).toBe(-16000);
  });
});
