// The home's ports held by another process when the monitor starts: the hook token is replaced, else kept.
import { readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ensureHookToken } from '../../src/home/secrets.js';
import { hookTokenForRun, portHeld } from '../../src/monitor/held-ports.js';
import { silentLogger } from '../helpers/cache.js';
import { tempHome } from '../helpers/hooks.js';
import { settingsOf } from '../helpers/settings.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function holder(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as AddressInfo).port;
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function home(): string {
  const t = tempHome();
  cleanups.push(t.cleanup);
  return t.home;
}

it('tells a port another process listens on from a free one, and never calls port 0 held', async () => {
  expect(await portHeld(await holder())).toBe(true);
  expect(await portHeld(await freePort())).toBe(false);
  expect(await portHeld(0)).toBe(false);
});

it('keeps the lasting token while the home’s ports are free', async () => {
  const h = home();
  const before = ensureHookToken(h);
  const settings = settingsOf({ monitor: { hookPort: await freePort(), storeServerPort: await freePort() } }, h);
  expect(await hookTokenForRun(settings, silentLogger())).toEqual({ token: before, rotated: false });
});

it.each(['hookPort', 'storeServerPort'] as const)(
  'writes a new token (0600) when another process holds the home’s %s',
  async (held) => {
    const h = home();
    const before = ensureHookToken(h);
    const ports = { hookPort: await freePort(), storeServerPort: await freePort(), [held]: await holder() };
    const run = await hookTokenForRun(settingsOf({ monitor: ports }, h), silentLogger());
    expect(run.rotated).toBe(true);
    expect(run.token).toMatch(/^[0-9a-f]{64}$/);
    expect(run.token).not.toBe(before);
    const file = path.join(h, 'hook-token');
    expect(readFileSync(file, 'utf8').trim()).toBe(run.token);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // What install and the store server read from then on.
    expect(ensureHookToken(h)).toBe(run.token);
  },
);
