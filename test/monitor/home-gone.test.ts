// A monitor whose state directory is deleted (or deleted and made again) stops: it logs a line where it still can,
// exits 0 and gives its ports back, and a monitor started in the new directory is then the only one.
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { expect, it } from 'vitest';
import { readLiveOwner } from '../../src/home/lock.js';
import { readStoreServerEndpoint } from '../../src/home/endpoint.js';
import { removeTree } from '../helpers/remove-tree.js';
import { writeConfig } from '../helpers/hooks.js';
import { exited, perTest, waitFor } from './helpers.js';

const t = perTest();

/** Whether this process can listen on `port` of 127.0.0.1 (nobody holds it). */
function free(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

it('stops when its home is deleted: exit 0, its ports free', async () => {
  const m = t.home({});
  const child = m.run();
  const info = await waitFor(
    'the monitor to publish its ports',
    () => {
      const i = m.info();
      return i?.hookPort && i.storeServerUrl ? i : undefined;
    },
    30_000,
  );
  // The monitor may write into the folder until it notices it gone: a file made meanwhile fails the last rmdir.
  await removeTree(m.home);
  expect(await exited(child)).toEqual({ code: 0, signal: null });
  expect(await free(info.hookPort as number)).toBe(true);
  expect(await free(Number(new URL(info.storeServerUrl as string).port))).toBe(true);
}, 120_000);

it('a home deleted and made again: the old monitor stops, the new one stays the only one', async () => {
  const m = t.home({});
  const first = m.run();
  await waitFor('the first monitor', () => m.info()?.hookPort, 30_000);
  await removeTree(m.home);
  mkdirSync(m.home, { mode: 0o700 });
  writeConfig(m.home, { monitor: { hookPort: 0 } });
  const second = m.run();
  expect(await exited(first)).toEqual({ code: 0, signal: null });
  const owner = await waitFor('the second monitor to hold the lock', () => readLiveOwner(m.home), 30_000);
  expect(owner.pid).toBe(second.pid);
  await waitFor('the second monitor to publish itself', () => m.info()?.pid === second.pid, 30_000);
  // The first one's stop left the second one's files alone.
  await waitFor('the second store server', () => readStoreServerEndpoint(m.home)?.pid === second.pid, 30_000);
  expect(m.cli(['tasks', 'add', 'after the move']).code).toBe(0);
  expect(second.exitCode).toBeNull();
}, 120_000);
