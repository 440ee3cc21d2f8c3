import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  currentEndpoint,
  homeHookPort,
  listenOnEndpoint,
  monitorSocketPath,
  portChoices,
  settlePort,
} from '../../src/home/endpoint.js';
import { recordedHookPort } from '../../src/home/endpoint-record.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'th-endpoint-'));
  dirs.push(d);
  return d;
};

describe('a state directory’s endpoint', () => {
  it('has a port of its own: the same each time, another for another home, below the ephemeral range', () => {
    const root = tmp();
    const homes = Array.from({ length: 50 }, (_, i) => path.join(root, `home-${i}`, '.taskhooks'));
    const ports = homes.map(homeHookPort);
    expect(homes.map(homeHookPort)).toEqual(ports);
    expect(new Set(ports).size).toBeGreaterThan(45);
    for (const p of ports) expect(p >= 20_000 && p < 32_000 && p % 2 === 0).toBe(true);
  });

  it('names one home by its real path: a link to it gets its port', () => {
    const root = tmp();
    const real = path.join(root, 'real');
    mkdirSync(real);
    symlinkSync(real, path.join(root, 'link'));
    expect(homeHookPort(path.join(root, 'link'))).toBe(homeHookPort(real));
  });

  it('has a socket beside its files, unless the path is too long for one', () => {
    expect(monitorSocketPath('/home/dana/.taskhooks')).toBe('/home/dana/.taskhooks/monitor.sock');
    expect(monitorSocketPath(`/${'d'.repeat(120)}`)).toBeUndefined();
  });
});

describe('the endpoint record: ports last written and the token good for each', () => {
  const configured = { hookPort: 40_010, storeServerPort: 40_011 };
  const home = () => {
    const h = path.join(tmp(), '.taskhooks');
    mkdirSync(h, { recursive: true, mode: 0o700 });
    return h;
  };

  it('with no record, points files at the configured ports, making the tokens once', () => {
    const h = home();
    const e = currentEndpoint(h, configured);
    expect(e).toMatchObject({ hookPort: 40_010, storePort: 40_011 });
    expect(e.hookToken).toMatch(/^[0-9a-f]{64}$/);
    expect(e.storeToken).toMatch(/^th_/);
    expect(e.storeToken).not.toBe(e.hookToken);
    expect(currentEndpoint(h, configured)).toEqual(e);
    expect(statSync(path.join(h, 'store-token')).mode & 0o777).toBe(0o600);
  });

  it('refuses a random hook port, which no file can name, with the fix', () => {
    expect(() => currentEndpoint(home(), { hookPort: 0, storeServerPort: 1 })).toThrow(
      /monitor\.hookPort is 0.*remove it/,
    );
  });

  it('replaces a token whenever its port moves, and only its own', () => {
    const h = home();
    const first = { hook: settlePort(h, 'hook', 40_010), store: settlePort(h, 'store', 40_011) };
    // No record before: where the old tokens went is unknown, so both are new and moves are reported.
    expect(first.hook.move).toEqual({ kind: 'hook', from: undefined, to: 40_010 });
    expect(first.store.move).toEqual({ kind: 'store', from: undefined, to: 40_011 });
    // The same ports again: nothing moves, the tokens stay.
    expect(settlePort(h, 'hook', 40_010)).toEqual({ token: first.hook.token });
    expect(settlePort(h, 'store', 40_011)).toEqual({ token: first.store.token });
    const moved = settlePort(h, 'hook', 40_020);
    expect(moved.move).toEqual({ kind: 'hook', from: 40_010, to: 40_020 });
    expect(moved.token).not.toBe(first.hook.token);
    expect(readFileSync(path.join(h, 'hook-token'), 'utf8').trim()).toBe(moved.token);
    expect(currentEndpoint(h, configured)).toMatchObject({
      hookPort: 40_020,
      hookToken: moved.token,
      storePort: 40_011,
      storeToken: first.store.token,
    });
    expect(statSync(path.join(h, 'endpoint.json')).mode & 0o777).toBe(0o600);
  });

  it('tries the port last written before the configured one', () => {
    const h = home();
    expect(portChoices(h, configured)).toEqual({ hook: [40_010], store: [40_011] });
    settlePort(h, 'hook', 40_020);
    expect(portChoices(h, configured).hook).toEqual([40_020, 40_010]);
  });

  it('passes over a port another process holds, and records where it listens instead', async () => {
    const h = home();
    const holder = http.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const held = (holder.address() as AddressInfo).port;
    try {
      const listener = await listenOnEndpoint(h, 'hook', [held], async (port, token) => ({ port, token }));
      expect(listener.held).toEqual([held]);
      expect(listener.port).not.toBe(held);
      expect(listener.value.token).toBe(readFileSync(path.join(h, 'hook-token'), 'utf8').trim());
      expect(recordedHookPort(h)).toBe(listener.port);
      // Another start with the holder still there takes back the port now written, with no new token.
      const again = await listenOnEndpoint(h, 'hook', portChoices(h, configured).hook, async (port, token) => ({
        port,
        token,
      }));
      expect(again).toMatchObject({ port: listener.port, held: [], moves: [] });
      expect(again.value.token).toBe(listener.value.token);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
