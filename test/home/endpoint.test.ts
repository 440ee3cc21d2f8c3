import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { homeHookPort, monitorSocketPath } from '../../src/home/endpoint.js';

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
