// A monitor started with its store port already bound and listening (what SessionStart hands the monitor it starts):
// a client that connects while the monitor loads waits in the kernel's queue and is answered once it serves, instead of
// being refused, which is what lets Claude Code's retry of the task tools' server land in the first session after a
// crash. The variable naming the socket does not reach the monitor's own children.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { expect, it } from 'vitest';
import { takeHandedListener } from '../../src/home/handed-listener.js';
import { spawnMonitor } from '../../src/home/launch.js';
import { silentLogger } from '../helpers/cache.js';
import { hookEnv, ROOMY_DEADLINES } from '../helpers/hooks.js';
import { freePort } from '../helpers/serve.js';
import { perTest, waitFor } from './helpers.js';

const t = perTest();

/** A listening socket on `port` and its descriptor, as SessionStart binds it (src/hooks/events/session-start-tools.ts). */
async function bound(port: number): Promise<{ server: net.Server; fd: number }> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1' }, resolve);
  });
  const fd = (server as unknown as { _handle: { fd: number } })._handle.fd;
  return { server, fd };
}

it('answers on the handed port a request made before it listened, and serves there for good', async () => {
  const port = await freePort();
  const m = t.home({ hooks: ROOMY_DEADLINES, monitor: { storeServerPort: port } });
  const { server, fd } = await bound(port);
  const child = spawnMonitor(m.home, silentLogger(), hookEnv(m.home), { fd, port });
  if (child.pid) m.pids.add(child.pid);
  server.close();

  // Sent at once: the monitor is still loading, so the connection waits in the queue rather than being refused.
  const health = await fetch(`http://127.0.0.1:${port}/health`);

  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });
  const info = await waitFor('monitor.json', () => m.info());
  expect(info.storeServerUrl).toBe(`http://127.0.0.1:${port}/mcp`);
  const endpoint = JSON.parse(readFileSync(path.join(m.home, 'endpoint.json'), 'utf8')) as { storePort: number };
  expect(endpoint.storePort).toBe(port);
  expect(m.cli(['monitor', 'stop']).code).toBe(0);
}, 60_000);

it('reads the handed socket from the environment once, leaving nothing for a child to read again', () => {
  const env: NodeJS.ProcessEnv = { TASKHOOKS_STORE_FD: '3:4321' };
  expect(takeHandedListener(env)).toEqual({ fd: 3, port: 4321 });
  expect(env.TASKHOOKS_STORE_FD).toBeUndefined();
  expect(takeHandedListener({ TASKHOOKS_STORE_FD: '3' })).toBeUndefined();
  expect(takeHandedListener({})).toBeUndefined();
});
