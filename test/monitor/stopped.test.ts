// What the CLI says about a monitor that runs on or has stopped: real monitor processes, the built CLI, a temp HOME.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordCall } from '../../src/cache/metrics.js';
import { hookEnv, withHomeCache } from '../helpers/hooks.js';
import { makeRepo, type TempRepo } from '../helpers/git.js';
import { CLI, perTest } from './helpers.js';

const t = perTest();

const SERVER = 'http://127.0.0.1:9/mcp';

/** The CLI with this monitor home and a HOME of its own: uninstall reads the user settings file too. */
function cliWith(home: string) {
  const userHome = mkdtempSync(path.join(os.tmpdir(), 'th-user-home-'));
  t.undo(() => rmSync(userHome, { recursive: true, force: true }));
  return (args: string[], cwd = home) => {
    const r = spawnSync(process.execPath, [CLI, ...args], {
      env: { ...hookEnv(home), HOME: userHome },
      cwd,
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
}

function repo(name: string): TempRepo {
  const r = makeRepo({ name });
  t.undo(r.cleanup);
  return r;
}

describe('monitor status', () => {
  it('shows server health as current while the monitor runs, and as last known with its age once it stopped', () => {
    const m = t.home({});
    const home = m.home;
    withHomeCache(home, (s) => recordCall(s, SERVER, 42, null, Date.now() - 3 * 3600_000));
    const stopped = m.cli(['monitor', 'status']);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain('Servers (last known: the monitor is not running, so nothing checks them now)');
    expect(stopped.stdout).toMatch(/^server\s+last known\s+as of\s+breaker/m);
    expect(stopped.stdout).toMatch(new RegExp(`^${SERVER.replace(/[.]/g, '\\.')}\\s+ok\\s+3 h ago\\s+closed`, 'm'));
    expect(stopped.stdout).not.toMatch(/^server\s+health/m);
    const json = JSON.parse(m.cli(['monitor', 'status', '--json']).stdout) as {
      running: boolean;
      servers: Array<{ server: string; lastCheckedAt: number }>;
    };
    expect(json.running).toBe(false);
    expect(json.servers.find((s) => s.server === SERVER)?.lastCheckedAt).toBeLessThan(
      Date.now() - 3 * 3600_000 + 60_000,
    );

    expect(m.cli(['monitor', 'start']).code).toBe(0);
    const running = m.cli(['monitor', 'status']);
    expect(running.stdout).toMatch(/^server\s+health\s+breaker/m);
    expect(running.stdout).not.toContain('last known');
    // Nothing reached it for three hours: a running monitor does not pass it off as healthy.
    expect(running.stdout).toMatch(
      new RegExp(`^${SERVER.replace(/[.]/g, '\\.')}\\s+unknown \\(last call 3 h ago\\)\\s+closed`, 'm'),
    );
    expect(m.cli(['monitor', 'stop']).code).toBe(0);
  });
});

describe('uninstall and the monitor', () => {
  it('says the monitor still runs, and how to stop it, once the last project is uninstalled', () => {
    const m = t.home({});
    const cli = cliWith(m.home);
    const a = repo('alpha');
    const b = repo('beta');
    // A random hook port (the monitor tests' own) cannot be written into settings: command hooks need none.
    for (const r of [a, b]) expect(cli(['install', '--transport', 'command', '--dir', r.dir]).code).toBe(0);
    expect(cli(['monitor', 'start']).code).toBe(0);
    const pid = m.info()?.pid;
    if (pid) m.pids.add(pid);

    const first = cli(['uninstall', '--dir', a.dir]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).not.toContain('it still runs');

    const last = cli(['uninstall', '--dir', b.dir]);
    expect(last.code, last.stderr).toBe(0);
    expect(last.stdout).toContain(
      `monitor: no project is registered any more, but it still runs (pid ${pid}): \`taskhooks monitor stop\` stops it`,
    );
    expect(cli(['monitor', 'stop']).stdout).toContain(`Monitor stopped (pid ${pid})`);
  });
});
