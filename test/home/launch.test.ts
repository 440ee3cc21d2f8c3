// Starting this home's monitor from outside it: a command that must talk to the monitor says what to do when none runs.
import { afterEach, expect, it, vi } from 'vitest';
import { UserError } from '../../src/errors/user.js';
import { runningMonitor } from '../../src/home/launch.js';
import { silentLogger } from '../helpers/cache.js';
import { tempHome } from '../helpers/hooks.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

it('names the command that starts the monitor when none runs and none may be started', async () => {
  vi.stubEnv('TASKHOOKS_NO_AUTOSTART', '1');
  const { home, cleanup } = tempHome();
  try {
    const err = await runningMonitor(home, silentLogger()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err).toMatchObject({
      kind: 'unavailable',
      message: 'the monitor is not running and could not be started: run `taskhooks monitor start`',
    });
  } finally {
    cleanup();
  }
});
