// A newcomer's first minutes: fresh HOME and project, `taskhooks install`, then a real Claude Code session there
// receives the pending tasks. Offline: the API address is a closed loopback port, so the session ends right after
// SessionStart, with the hook's context already in the transcript.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openTaskDb } from '../../src/server/index.js';
import { openDatabase } from '../../src/sqlite/index.js';
import { CLAUDE } from '../helpers/claude.js';
import { exited, waitFor } from '../monitor/helpers.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const root = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-newcomer-'));
const home = path.join(root, 'home');
const thHome = path.join(root, 'taskhooks');
const project = path.join(root, 'newcomer-app');
const env = { PATH: process.env.PATH, TMPDIR: process.env.TMPDIR, HOME: home, TASKHOOKS_HOME: thHome, NO_COLOR: '1' };

function stopMonitor(): void {
  spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'monitor', 'stop'], { env, timeout: 20_000 });
  // The install started this monitor; make sure it does not outlive the test even if `monitor stop` could not.
  const lock = path.join(thHome, 'monitor.pid');
  if (!existsSync(lock)) return;
  try {
    process.kill((JSON.parse(readFileSync(lock, 'utf8')) as { pid: number }).pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

afterAll(() => {
  stopMonitor();
  rmSync(root, { recursive: true, force: true });
});

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function transcripts(): string {
  const dir = path.join(home, '.claude', 'projects');
  if (!existsSync(dir)) return '';
  return readdirSync(dir)
    .flatMap((d) =>
      readdirSync(path.join(dir, d))
        .filter((f) => f.endsWith('.jsonl'))
        .map((f) => readFileSync(path.join(dir, d, f), 'utf8')),
    )
    .join('\n');
}

it('taskhooks install, then a real Claude Code session receives the pending tasks', async () => {
  for (const d of [home, thHome, project]) mkdirSync(d, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: project,
      env: {
        ...env,
        GIT_AUTHOR_NAME: 'n',
        GIT_AUTHOR_EMAIL: 'n@example.com',
        GIT_COMMITTER_NAME: 'n',
        GIT_COMMITTER_EMAIL: 'n@example.com',
      },
    });
  git('init', '-q', '-b', 'main');
  writeFileSync(path.join(project, 'README.md'), '# newcomer app\n');
  git('add', '.');
  git('commit', '-qm', 'first commit');

  // Tasks in the embedded default store, where `taskhooks mcp` and the monitor's store server read them.
  const db = openTaskDb(path.join(thHome, 'tasks.db'));
  const p = db.ensureProject('newcomer-app');
  db.createTask({
    projectId: p.id,
    gitBranchId: db.ensureBranch(p.id, 'main').id,
    title: 'Wire the zebra importer',
    priority: 'high',
  });
  db.close();

  const install = spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'install', '--dir', project], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(install.status, install.stderr).toBe(0);
  expect(install.stdout).toContain('taskhooks is installed');

  const session = spawnSync(CLAUDE, ['-p', 'hi'], {
    cwd: project,
    env: {
      ...env,
      ANTHROPIC_API_KEY: 'fake-key-for-offline-test',
      CLAUDE_CODE_MAX_RETRIES: '0',
      ANTHROPIC_BASE_URL: `http://127.0.0.1:${await closedPort()}`,
    },
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(session.error, 'claude did not finish in time').toBeUndefined();

  const transcript = transcripts();
  expect(transcript, `no transcript; claude said: ${session.stdout}${session.stderr}`).not.toBe('');
  expect(transcript).toContain('SessionStart');
  expect(transcript).toContain('Wire the zebra importer');
  expect(transcript).toContain('[taskhooks]');
});

// The same newcomer, now also a contributor: `npm start` in a clone beside the monitor install started, and the
// question of which source the clone would use, with GITLAB_TOKEN and without.
it('npm start beside the running monitor leaves its store and board alone; taskhooks source names the token it saw', async () => {
  const clone = path.join(root, 'taskhooks-clone');
  mkdirSync(clone);
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: clone });
  execFileSync('git', ['remote', 'add', 'origin', 'https://gitlab.com/acme/taskhooks.git'], { cwd: clone });
  const rows = (file: string, sql: string): unknown[] => {
    const db = openDatabase(path.join(thHome, file), { readonly: true });
    try {
      return db.prepare(sql).all();
    } finally {
      db.close();
    }
  };
  const store = () => rows('tasks.db', 'SELECT id, title, status FROM tasks ORDER BY id');
  const board = () => rows('cache.db', 'SELECT root FROM projects ORDER BY root');
  const [storeBefore, boardBefore] = [store(), board()];
  expect(storeBefore).not.toEqual([]);

  const start = spawn(process.execPath, [path.join(REPO, 'dist/cli.js'), 'start'], { cwd: clone, env });
  let out = '';
  start.stdout.on('data', (b: Buffer) => (out += b.toString()));
  start.stderr.on('data', (b: Buffer) => (out += b.toString()));
  await waitFor('the first look to run', () => out.includes('Ctrl-C stops it'), 60_000).catch((e: Error) => {
    start.kill('SIGKILL');
    throw new Error(`${e.message}: ${out}`);
  });
  expect(out).toContain(`A monitor already runs for ${thHome}`);
  start.kill('SIGINT');
  expect(await exited(start)).toEqual({ code: 0, signal: null });
  expect(out.trimEnd().split('\n').at(-1)).toBe('Stopped the monitor and removed its scratch home.');
  expect(store()).toEqual(storeBefore);
  expect(board()).toEqual(boardBefore);

  const source = (extra: Record<string, string>) =>
    spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'source'], {
      cwd: clone,
      env: { ...env, ...extra },
      encoding: 'utf8',
    });
  const withToken = source({ GITLAB_TOKEN: 'glpat-newcomer-walk-0000' });
  expect(withToken.status, withToken.stderr).toBe(0);
  expect(withToken.stdout).toContain('GITLAB_TOKEN is set, origin is on gitlab.com');
  expect(withToken.stdout).toContain('to use it:  TASKHOOKS_ADAPTER=gitlab');
  const without = source({});
  expect(without.stdout).toContain('origin is on gitlab.com: the gitlab source cannot use it yet: no GitLab token');
}, 180_000);
