// A monitor a session's hook started has sessions waiting for it (after a reboot, many): it answers their hooks first,
// and its first task cycle runs once they have gone quiet.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { registerProject } from '../../src/cache/registered-projects.js';
import { writeSnapshot } from '../../src/cache/snapshots.js';
import { loadSettings } from '../../src/config/settings.js';
import { startMonitor } from '../../src/monitor/daemon.js';
import type { RefreshTasksFn } from '../../src/monitor/refresh/refresh.js';
import { hookEnv, sessionStartInput, tempHome, withHomeCache } from '../helpers/hooks.js';
import { waitFor } from './helpers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('runs its first task cycle after the hooks served at start, once they have gone quiet', async () => {
  const source = 'http://127.0.0.1:9/mcp';
  const { home, cleanup } = tempHome({
    source: { servers: [source] },
    monitor: { hookPort: 0, taskSchedule: '0 0 1 1 *', gitSchedule: '0 0 1 1 *' },
  });
  cleanups.push(cleanup);
  const env = hookEnv(home);
  const root = path.join(home, 'projects', 'shop');
  mkdirSync(root, { recursive: true });
  withHomeCache(home, (s) => registerProject(s, { root, name: 'shop', sourceKey: source, registeredBy: 'test' }));

  let fetchedAt: number | undefined;
  const refreshTasks: RefreshTasksFn = async ({ scope, cache, source: src }) => {
    fetchedAt ??= Date.now();
    const snap = { sourceKey: src.key, project: scope.project, branch: scope.branch, fetchedAt: Date.now() };
    const full = { ...snap, source: src.key, tasks: [], next: null };
    cache.write(() => writeSnapshot(cache, full));
    return full;
  };
  const { settings } = await loadSettings({ cwd: home, env });
  const result = await startMonitor({
    settings,
    env,
    services: {
      refreshTasks,
      collectGitState: async () => null,
      // Each session's start takes the monitor a while, as a cold cache's does.
      runHook: async () => {
        await sleep(100);
        return {};
      },
      startStoreServer: async () => {
        throw new Error('no store server in this test');
      },
    },
  });
  if (!result.started) throw new Error('the monitor did not start');
  const { monitor } = result;
  cleanups.push(() => monitor.stop());

  // Sessions starting one after another for a second: the monitor is never quiet long enough meanwhile.
  const token = readFileSync(path.join(home, 'hook-token'), 'utf8').trim();
  const post = () =>
    fetch(`http://127.0.0.1:${monitor.info.hookPort}/hooks/session-start`, {
      method: 'POST',
      body: JSON.stringify(sessionStartInput(root, `s-${Date.now()}`)),
      headers: { 'x-taskhooks-token': token, 'content-type': 'application/json' },
    });
  const until = Date.now() + 1000;
  let answered = 0;
  while (Date.now() < until) {
    const res = await post();
    expect(res.status).toBe(200);
    await res.body?.cancel();
    answered = Date.now();
    expect(fetchedAt).toBeUndefined();
    await sleep(50);
  }
  // Quiet now: the cycle runs, and after the last session's hook was answered.
  const first = await waitFor('the first task cycle', () => fetchedAt, 10_000);
  expect(first).toBeGreaterThan(answered);
});
