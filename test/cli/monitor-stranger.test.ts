// Where the OS cannot vouch for the monitor lock's owner (macOS, Windows, an earlier build's lock: simulated here with
// a lock that records no process start, held by a process whose command line passes for a monitor's), the task
// commands and the dashboard send their token only to a monitor that proves itself, and otherwise do without it.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { homeFiles } from '../../src/home/files.js';
import { runCli } from '../helpers/cli.js';
import { makeRepo } from '../helpers/git.js';
import { hookEnv, tempHome } from '../helpers/hooks.js';
import { squat } from '../helpers/second-user.js';
import { perTest } from '../monitor/helpers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const TOKEN = 'f'.repeat(64);
const t = perTest();

/**
 * A home whose monitor died unannounced, leaving its lock, monitor.json, embedded.json and tokens behind; another
 * user's process (`… monitor run`) now has its pid and listens on both its ports, recording what it is sent.
 */
async function strangerHome() {
  const home = tempHome({});
  cleanups.push(home.cleanup);
  const repo = makeRepo({ name: 'shop' });
  cleanups.push(repo.cleanup);
  const stranger = await squat(0, cleanups, `'{"path":"/dashboard/?stranger"}'`, ['monitor', 'run']);
  const { port } = stranger;
  const pid = stranger.child.pid ?? 0;
  const files = homeFiles(home.home);
  writeFileSync(files.lock, JSON.stringify({ pid, startedAt: 1 }));
  const info = { pid, startedAt: 1, hookPort: port, taskSchedule: '0 0 1 1 *', gitSchedule: '0 0 1 1 *' };
  writeFileSync(files.info, JSON.stringify(info));
  writeFileSync(files.storeServer, JSON.stringify({ url: `http://127.0.0.1:${port}/mcp`, token: TOKEN, pid }), {
    mode: 0o600,
  });
  for (const f of [files.hookToken, files.storeToken, files.dashboardToken])
    writeFileSync(f, `${TOKEN}\n`, { mode: 0o600 });
  const env = { ...hookEnv(home.home), HOME: home.home, NO_COLOR: '1' };
  const cli = (args: string[]) => runCli(args, { cwd: repo.dir, env });
  return { stranger, cli, home: home.home };
}

describe.runIf(process.getuid?.() === 0)('a stranger holding the dead monitor’s pid and ports', () => {
  it('is sent no store token: `tasks add` and `list` use tasks.db in their own process, and say why', async () => {
    const { stranger, cli } = await strangerHome();
    const added = await cli(['tasks', 'add', 'Fix the cart', '--json']);
    expect(added.code, added.stderr).toBe(0);
    const listed = await cli(['tasks', 'list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    // Named for the store in this process, not for a monitor that is gone.
    expect(JSON.parse(listed.stdout)).toMatchObject({ source: 'built-in store', tasks: [{ title: 'Fix the cart' }] });
    for (const run of [added, listed]) {
      expect(run.stderr).toContain('no monitor of this home answers');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(stranger.received()).not.toContain(TOKEN);
  });

  it('is sent no dashboard token: `dashboard` says the monitor is gone and how to start one', async () => {
    const { stranger, cli } = await strangerHome();
    const run = await cli(['dashboard', '--no-open']);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('stranger');
    expect(run.stderr).toContain('no monitor of this home answers');
    expect(run.stderr).toContain('taskhooks monitor start');
    expect(stranger.received()).not.toContain(TOKEN);
  });
});

describe('a monitor the OS cannot vouch for that proves itself', () => {
  it('is still the one `tasks` and `dashboard` use, with no note', () => {
    const m = t.home({});
    const repo = makeRepo({ name: 'shop' });
    cleanups.push(repo.cleanup);
    expect(m.cli(['monitor', 'start']).code).toBe(0);
    // The lock as macOS, Windows or an earlier build leaves it: no process start for the OS to vouch with.
    const lock = homeFiles(m.home).lock;
    const { since: _since, ...rest } = JSON.parse(readFileSync(lock, 'utf8')) as Record<string, unknown>;
    writeFileSync(lock, JSON.stringify(rest));
    const added = m.cli(['tasks', 'add', 'Fix the cart'], repo.dir);
    expect(added.code, added.stderr).toBe(0);
    const listed = m.cli(['tasks', 'list', '--json'], repo.dir);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({ source: 'built-in store via the monitor' });
    const link = m.cli(['dashboard', '--no-open'], repo.dir);
    expect(link.code, link.stderr).toBe(0);
    expect(link.stdout).toMatch(/one-time link.*http:\/\/127\.0\.0\.1:\d+\/dashboard\//);
    for (const run of [added, listed, link]) expect(run.stderr).not.toContain('note:');
    expect(m.cli(['monitor', 'stop']).code).toBe(0);
  });
});
