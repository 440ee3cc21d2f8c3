// Starting this home's monitor from outside it: a command that must talk to the monitor says what to do when none runs,
// and a monitor started takes only the environment it needs.
import { afterEach, expect, it, vi } from 'vitest';
import { UserError } from '../../src/errors/user.js';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureMonitorRunning, runningMonitor, spawnMonitor } from '../../src/home/launch.js';
import { readMonitorInfo } from '../../src/home/monitor-info.js';
import { stopMonitor } from '../../src/home/stop.js';
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

it('starts a monitor with only the environment it needs, never a session’s keys or its pid', async () => {
  const { home, cleanup } = tempHome();
  const env = {
    ...process.env,
    ANTHROPIC_API_KEY: 'sk-ant-of-the-session',
    CLAUDE_PID: '4242',
    CLAUDE_CODE_SESSION_ID: 'the-session',
    GIT_DIR: '/elsewhere/.git',
    MCP_API_TOKEN: 'the-task-servers-token',
    TASKHOOKS_LOG_LEVEL: 'debug',
  };
  const child = spawnMonitor(home, silentLogger(), env);
  try {
    await vi.waitFor(() => expect(existsSync(path.join(home, 'monitor.json'))).toBe(true), { timeout: 60_000 });
    const seen = new Map(
      readFileSync(`/proc/${child.pid}/environ`, 'utf8')
        .split('\0')
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as const),
    );
    for (const gone of ['ANTHROPIC_API_KEY', 'CLAUDE_PID', 'CLAUDE_CODE_SESSION_ID', 'GIT_DIR'])
      expect(seen.has(gone), gone).toBe(false);
    // What it reads stays: its own settings and the task server's token, its home, where programs are.
    expect(seen.get('MCP_API_TOKEN')).toBe('the-task-servers-token');
    expect(seen.get('TASKHOOKS_LOG_LEVEL')).toBe('debug');
    expect(seen.get('TASKHOOKS_HOME')).toBe(home);
    expect(seen.get('PATH')).toBe(process.env.PATH);
  } finally {
    await stopMonitor({ home, timeoutS: 20, waiting: () => () => undefined });
    cleanup();
  }
});

it('starts a monitor for a hook that is no child of the hook, so an agent ending its hooks’ trees leaves it running', async () => {
  const { home, cleanup } = tempHome();
  vi.stubEnv('TASKHOOKS_HOME', home);
  vi.stubEnv('TASKHOOKS_NO_AUTOSTART', '0');
  try {
    expect(ensureMonitorRunning(home, silentLogger())).toEqual({ running: false, started: true });
    const info = await vi.waitFor(() => readMonitorInfo(home) ?? expect.fail('no monitor.json yet'), {
      timeout: 60_000,
    });
    // /proc/<pid>/stat: "pid (comm) state ppid …"; the comm is node's and holds no ") ".
    const ppid = Number(readFileSync(`/proc/${info.pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
    expect(ppid).not.toBe(process.pid);
    expect(ppid).toBeGreaterThan(0);
  } finally {
    await stopMonitor({ home, timeoutS: 20, waiting: () => () => undefined });
    cleanup();
  }
});
