// Where install points the http hooks when no monitor runs yet: the configured ports, the home's token and socket.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { homeFiles } from '../../src/home/files.js';
import { servedEndpoint, servedStorePort } from '../../src/install/served-endpoint.js';
import { UserError } from '../../src/errors/user.js';
import { tempHome } from '../helpers/hooks.js';
import { settingsOf } from '../helpers/settings.js';

let home: string;
let cleanup: () => void;
beforeEach(() => {
  ({ home, cleanup } = tempHome());
});
afterEach(() => cleanup());

describe('servedEndpoint', () => {
  it('names the configured hook port, the token it made in the home, and the home’s socket', () => {
    const e = servedEndpoint(home, settingsOf({ monitor: { hookPort: 47001 } }, home));
    expect(e.port).toBe(47001);
    expect(e.token).toBe(readFileSync(homeFiles(home).hookToken, 'utf8').trim());
    expect(e.socket).toBe(homeFiles(home).monitorSocket);
    expect(e.guarded).toBe(false);
    // Made once: a second install names the same token.
    expect(servedEndpoint(home, settingsOf({ monitor: { hookPort: 47001 } }, home)).token).toBe(e.token);
  });

  it('says the hooks are guarded once a guard is configured', () => {
    const settings = settingsOf(
      { monitor: { hookPort: 47001 }, hooks: { guards: { protectedBranches: ['main'] } } },
      home,
    );
    expect(servedEndpoint(home, settings).guarded).toBe(true);
  });

  it('refuses a random hook port, which settings cannot name, with the fix', () => {
    const settings = settingsOf({ monitor: { hookPort: 0 } }, home);
    expect(() => servedEndpoint(home, settings)).toThrow(UserError);
    expect(() => servedEndpoint(home, settings)).toThrow(/monitor\.hookPort is 0.*remove it from the config/);
  });
});

describe('servedStorePort', () => {
  it('is the configured store port while no monitor has published its own', () => {
    expect(servedStorePort(home, settingsOf({ monitor: { storeServerPort: 47002 } }, home))).toBe(47002);
  });
});
