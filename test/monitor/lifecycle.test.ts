// Real processes: start, status, stop, the one-instance rule, SIGTERM mid-refresh, and kill -9 mid-refresh.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../src/sqlite/index.js';
import { describe, expect, it } from 'vitest';
import { blackHole, makeRepoFor } from './fixtures.js';
import { CLI, exited, perTest, waitFor } from './helpers.js';
import { hookEnv, ROOMY_DEADLINES, runHook, sessionStartInput, withHomeCache } from '../helpers/hooks.js';
import { readGitState } from '../../src/cache/git-state.js';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';
import { describeBuild } from '../../src/util/package.js';

const t = perTest();
/** Kills in a row, their moments spread evenly over the monitor's first half second. */
const KILLS = 10;

describe('monitor lifecycle (real processes)', () => {
  it('starts detached, reports status, refuses a second start, and stops', () => {
    const m = t.home({});
    const start = m.cli(['monitor', 'start']);
    expect(start.code).toBe(0);
    const info = m.info();
    expect(info?.pid).toBeGreaterThan(0);
    expect(start.stdout).toContain(`Monitor running (pid ${info?.pid})`);
    expect(start.stdout).toContain(path.join(m.home, 'logs', 'monitor.log'));

    const again = m.cli(['monitor', 'start']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      `a monitor is already running for ${m.home} (pid ${info?.pid}, taskhooks ${describeBuild(info ?? {})} from ${info?.codeRoot}); it was left alone`,
    );
    expect(m.info()?.pid).toBe(info?.pid);

    const status = JSON.parse(m.cli(['monitor', 'status', '--json']).stdout) as {
      running: boolean;
      pid: number;
      hookPort: number;
    };
    expect(status).toMatchObject({ running: true, pid: info?.pid, hookPort: info?.hookPort });
    const table = m.cli(['monitor', 'status']).stdout;
    expect(table).toContain(`running (pid ${info?.pid}`);
    expect(table).toMatch(/entries\s+valid\s+expired\s+size/);

    // Without TASKHOOKS_NO_AUTOSTART=1 (which the tests set) the stop is said to be until the next session.
    const stop = spawnSync(process.execPath, [CLI, 'monitor', 'stop'], {
      env: { ...hookEnv(m.home), TASKHOOKS_NO_AUTOSTART: '' },
      encoding: 'utf8',
    });
    expect(stop.stdout).toContain(
      `Monitor stopped (pid ${info?.pid}); the next session starts it again (\`taskhooks monitor start\` starts it now).`,
    );
    expect(m.cli(['monitor', 'stop', '--help']).stdout).toContain('the next session starts it again');
    expect(existsSync(path.join(m.home, 'monitor.pid'))).toBe(false);
    expect(existsSync(path.join(m.home, 'monitor.json'))).toBe(false);
    expect(JSON.parse(m.cli(['monitor', 'status', '--json']).stdout)).toMatchObject({ running: false });
    expect(m.cli(['monitor', 'stop']).stdout).toContain('No monitor is running.');
  });

  it('SIGTERM during a refresh lets it finish, then exits 0 and removes its files', async () => {
    const hole = await blackHole();
    t.undo(() => hole.close());
    // The refresh's deadline (three source timeouts) also covers loading the network stack: loaded, that alone can
    // take most of 1.5 s, and then the hanging server is never reached.
    const m = t.home({ source: { servers: [hole.url], timeoutMs: 3000 }, auth: { token: 'test-token-123' } });
    const repo = makeRepoFor('shop');
    t.undo(repo.cleanup);
    m.register(repo.dir, 'shop');
    const child = m.run();
    await waitFor('the refresh to reach the hanging server', () => hole.connections() > 0);
    child.kill('SIGTERM');
    const logFile = path.join(m.home, 'logs', 'monitor.log');
    await waitFor(
      'the signal to be logged',
      () => existsSync(logFile) && readFileSync(logFile, 'utf8').includes('signal received'),
    );
    // The server lets go rather than the refresh running into its deadline: the monitor still waits for it to end.
    await hole.close();
    expect(await exited(child)).toEqual({ code: 0, signal: null });
    expect(existsSync(path.join(m.home, 'monitor.pid'))).toBe(false);
    const log = readFileSync(logFile, 'utf8');
    const done = log.indexOf('task refresh cycle done');
    expect(done).toBeGreaterThan(log.indexOf('signal received'));
    expect(log.indexOf('monitor stopped')).toBeGreaterThan(done);
  });

  it(`kill -9 during refreshes, ${KILLS} times in a row, leaves a sound database and a monitor that starts again`, async () => {
    let ref: ReferenceServer | undefined;
    ref = await startReferenceServer({
      seed: (db) => {
        for (const name of ['alpha', 'beta', 'gamma']) {
          const p = db.ensureProject(name);
          const b = db.ensureBranch(p.id, 'main');
          db.createTasks(
            Array.from({ length: 200 }, (_, i) => ({ projectId: p.id, gitBranchId: b.id, title: `${name} task ${i}` })),
          );
        }
      },
    });
    t.undo(() => ref?.close());
    const m = t.home({
      source: { servers: [ref.url] },
      auth: { token: ref.token },
      monitor: { taskSchedule: '* * * * * *', gitSchedule: '* * * * * *' },
    });
    for (const name of ['alpha', 'beta', 'gamma']) {
      const repo = makeRepoFor(name);
      t.undo(repo.cleanup);
      m.register(repo.dir, name);
    }
    const home = m.home;
    for (let i = 0; i < KILLS; i++) {
      const child = m.run();
      await waitFor('the monitor to come up', () => m?.info()?.pid === child.pid);
      // From right at start (git read, network stack loading) to mid-fetch and mid-write of the snapshots.
      await new Promise((r) => setTimeout(r, 20 + Math.round((i * 500) / KILLS)));
      child.kill('SIGKILL');
      await exited(child);
    }
    const db = openDatabase(path.join(home, 'cache.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const start = m.cli(['monitor', 'start']);
      expect(start.code).toBe(0);
      expect(JSON.parse(m.cli(['monitor', 'status', '--json']).stdout)).toMatchObject({ running: true });
      const snapshots = () =>
        (db.prepare('SELECT COUNT(*) AS n FROM task_snapshots WHERE fetched_at > 0').get() as { n: number }).n;
      await waitFor('the restarted monitor to write all three snapshots', () => snapshots() === 3);
    } finally {
      db.close();
    }
    expect(m.cli(['monitor', 'stop']).code).toBe(0);
  }, 120_000);

  it('`taskhooks start` (npm start) serves the embedded store, seeds labelled examples once, prints the context and its footprint, and stops on Ctrl-C saying so', async () => {
    const m = t.home({ hooks: ROOMY_DEADLINES });
    const repo = makeRepoFor('demo');
    t.undo(repo.cleanup);
    const runStart = async (): Promise<string> => {
      const child = spawn(process.execPath, [CLI, 'start'], {
        env: hookEnv(m?.home as string),
        cwd: repo.dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      if (child.pid) m?.pids.add(child.pid);
      let out = '';
      child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
      let err = '';
      child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
      await waitFor('the context preview', () => out.includes('Ctrl-C stops it')).catch((e: Error) => {
        throw new Error(`${e.message}; stdout: ${out}; stderr: ${err}`);
      });
      expect(existsSync(path.join(m?.home as string, 'embedded.json'))).toBe(true);
      child.kill('SIGINT');
      expect(await exited(child)).toEqual({ code: 0, signal: null });
      expect(existsSync(path.join(m?.home as string, 'embedded.json'))).toBe(false);
      expect(out.trimEnd().split('\n').at(-1)).toBe('Stopped the monitor; the next session starts it again.');
      expect(err).toBe('');
      return out;
    };
    const first = await runStart();
    expect(first).toContain('The built-in store, served at: http://127.0.0.1:');
    expect(first).toContain('Created 3 example tasks titled "[example] …" (ids EXAMPLE-…)');
    expect(first).toContain('EXAMPLE-001 "[example] Read how taskhooks feeds tasks into Claude Code');
    expect(first).toContain(`Registered ${repo.dir} (project demo, branch main)`);
    expect(first).toContain(
      `This writes to ${m.home} (the built-in store, the cache, the log) and keeps ${repo.dir} registered, on every board, until \`taskhooks uninstall\` here.`,
    );
    expect(first).toMatch(/\[taskhooks\] project demo, branch main: 3 pending tasks/);
    expect(first).toContain('[example] Read how taskhooks feeds tasks into Claude Code');
    const second = await runStart();
    expect(second).not.toContain('Created 3 example tasks');
    expect(second).toContain('3 pending tasks');
    // The undo the footprint line names: the project is forgotten, and with its cached tasks off the board.
    const undo = spawnSync(process.execPath, [CLI, 'uninstall'], {
      env: hookEnv(m.home),
      cwd: repo.dir,
      encoding: 'utf8',
    });
    expect(undo.stdout).toContain(
      'the monitor forgot the project (it no longer refreshes it, and the board no longer shows it)',
    );
    const cache = openDatabase(path.join(m.home, 'cache.db'), { readonly: true });
    try {
      expect(cache.prepare('SELECT root FROM projects').all()).toEqual([]);
      expect(cache.prepare("SELECT project FROM task_snapshots WHERE project = 'demo'").all()).toEqual([]);
    } finally {
      cache.close();
    }
  }, 90_000);

  it('`taskhooks start` beside a running monitor leaves its store and board alone: a scratch home, in the foreground until Ctrl-C', async () => {
    const m = t.home({ hooks: ROOMY_DEADLINES });
    const repo = makeRepoFor('demo');
    t.undo(repo.cleanup);
    expect(m.cli(['monitor', 'start']).code).toBe(0);
    const own = makeRepoFor('mine');
    t.undo(own.cleanup);
    expect(m.cli(['tasks', 'add', 'The person’s own task'], own.dir).code).toBe(0);
    const pid = m.info()?.pid;
    const rows = (file: string, sql: string): unknown[] => {
      const db = openDatabase(path.join(m.home, file), { readonly: true });
      try {
        return db.prepare(sql).all();
      } finally {
        db.close();
      }
    };
    const tasks = () => rows('tasks.db', 'SELECT id, title, status FROM tasks ORDER BY id');
    const registered = () => rows('cache.db', 'SELECT root FROM projects ORDER BY root');
    const [tasksBefore, projectsBefore] = [tasks(), registered()];
    const child = spawn(process.execPath, [CLI, 'start'], {
      env: hookEnv(m.home),
      cwd: repo.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid) m.pids.add(child.pid);
    let out = '';
    child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    let err = '';
    child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
    await waitFor('the context preview', () => out.includes('Ctrl-C stops it')).catch((e: Error) => {
      throw new Error(`${e.message}; stdout: ${out}; stderr: ${err}`);
    });
    const scratch = /uses a scratch home, (\S+)\.\n/.exec(out)?.[1] as string;
    expect(out).toContain(`A monitor already runs for ${m.home} (pid ${pid}); it and its store are left alone`);
    expect(out).toContain(
      `Created 3 example tasks titled "[example] …" (ids EXAMPLE-…) in the built-in store (${scratch}/tasks.db)`,
    );
    expect(out).toContain(`This writes only to ${scratch}, removed when it stops.`);
    expect(out).toMatch(/\[taskhooks\] project demo, branch main: 3 pending tasks/);
    expect(existsSync(path.join(scratch, 'tasks.db'))).toBe(true);
    child.kill('SIGINT');
    expect(await exited(child)).toEqual({ code: 0, signal: null });
    expect(out.trimEnd().split('\n').at(-1)).toBe('Stopped the monitor and removed its scratch home.');
    expect(err).toBe('');
    expect(existsSync(scratch)).toBe(false);
    expect(tasks()).toEqual(tasksBefore);
    expect(registered()).toEqual(projectsBefore);
    expect(m.info()?.pid).toBe(pid);
    expect(m.cli(['monitor', 'stop']).code).toBe(0);
  }, 120_000);
});

describe("a monitor's first cycle (real processes)", () => {
  it('fetches every project and reads no git state: the sessions starting read their own, the next cycle the rest', async () => {
    const m = t.home({});
    const repos = ['shop', 'blog'].map((name) => {
      const r = makeRepoFor(name);
      t.undo(r.cleanup);
      m.register(r.dir, name);
      return r.dir;
    });
    expect(m.cli(['monitor', 'start']).code).toBe(0);
    const log = path.join(m.home, 'logs', 'monitor.log');
    await waitFor(
      'the first cycle',
      () => existsSync(log) && readFileSync(log, 'utf8').includes('task refresh cycle done'),
    );
    const gitStates = () => withHomeCache(m.home, (cache) => repos.map((r) => readGitState(cache, r) !== undefined));
    expect(gitStates()).toEqual([false, false]);
    const cycle = readFileSync(log, 'utf8')
      .split('\n')
      .find((line) => line.includes('"task refresh cycle done"'));
    expect(JSON.parse(cycle ?? '{}')).toMatchObject({ projects: 2, fetches: 2, failures: 0 });
    expect(
      (await runHook('session-start', sessionStartInput(repos[0] ?? ''), { home: m.home, cwd: repos[0] })).code,
    ).toBe(0);
    expect(gitStates()).toEqual([true, false]);
  });
});
