// Many `taskhooks tasks add` at once (the built CLI as separate processes, each writing the store in process) while
// the monitor serves the embedded store: every one succeeds and lands once, and the user's own store being busy opens
// no shared breaker.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { listBreakers } from '../../src/cache/breakers.js';
import { openDatabase, WAL_FOLD_BYTES } from '../../src/sqlite/index.js';
import { startReferenceServer } from '../helpers/reference-server.js';
import { hookEnv, preToolUseInput, ROOT, runHook, tempHome, withHomeCache } from '../helpers/hooks.js';
import { makeRepo } from '../helpers/git.js';
import { monitorHome, waitFor } from '../monitor/helpers.js';

const CLI = path.join(ROOT, 'dist/cli.js');
/** Processes adding at once: eight per core of a 2-core machine, so each meets others busy on the store. */
const ADDS = 16;
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function cli(
  home: string,
  cwd: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: hookEnv(home), stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A monitor serving the embedded store in a fresh home, and a repository named shop. */
async function servingMonitor(): Promise<{ m: ReturnType<typeof monitorHome>; dir: string }> {
  const m = monitorHome({});
  cleanups.push(() => m.cleanup());
  const repo = makeRepo({ name: 'shop', commits: ['initial'] });
  cleanups.push(repo.cleanup);
  m.run();
  await waitFor('the monitor to serve the embedded store', () => m.info()?.storeServerUrl, 30_000);
  return { m, dir: repo.dir };
}

/** Adds `ADDS` tasks at once, each a process of its own that must succeed quietly; each task is then listed once. */
async function addAllOnce(home: string, dir: string, prefix: string): Promise<void> {
  const titles = Array.from({ length: ADDS }, (_, i) => `${prefix} ${i}`);
  const results = await Promise.all(titles.map((t) => cli(home, dir, ['tasks', 'add', t])));
  for (const r of results) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  const listed = await cli(home, dir, ['tasks', 'list', '--json']);
  expect(listed.code, listed.stderr).toBe(0);
  const tasks = (JSON.parse(listed.stdout) as { tasks: Array<{ id: string; title: string }> }).tasks;
  expect(tasks.map((t) => t.title).sort()).toEqual([...titles].sort());
  expect(new Set(tasks.map((t) => t.id)).size).toBe(ADDS);
}

it(`${ADDS} concurrent \`tasks add\` with the monitor up: all succeed, each task once, no breaker opened`, async () => {
  const { m, dir } = await servingMonitor();
  await addAllOnce(m.home, dir, 'concurrent task');
  const open = withHomeCache(m.home, (cache) => listBreakers(cache).filter((b) => b.state !== 'closed'));
  expect(open).toEqual([]);
}, 900_000);

it('the local store held by a long write elsewhere: the add waits it out, a remote source meanwhile keeps its breaker closed', async () => {
  const m = monitorHome({});
  cleanups.push(() => m.cleanup());
  const repo = makeRepo({ name: 'shop', commits: ['initial'] });
  cleanups.push(repo.cleanup);
  const ref = await startReferenceServer();
  cleanups.push(() => void ref.close());
  expect((await cli(m.home, repo.dir, ['tasks', 'add', 'first'])).code).toBe(0); // the store exists, in process
  // Another connection holds the write lock past two of SQLite's 5 s busy waits (the monitor's, then the one in
  // process after the hand-off): only asking again after a BUSY answer outlasts it, however idle the machine.
  const holder = openDatabase(path.join(m.home, 'tasks.db'));
  cleanups.push(() => holder.close());
  holder.exec('BEGIN IMMEDIATE');
  const adding = cli(m.home, repo.dir, ['tasks', 'add', 'second']);
  const remote = spawnRemote(m.home, repo.dir, ref.url, ref.token);
  await new Promise((r) => setTimeout(r, 12_000));
  holder.exec('COMMIT');
  expect((await remote).code).toBe(0);
  const added = await adding;
  expect({ code: added.code, stderr: added.stderr }).toEqual({ code: 0, stderr: '' });
  const listed = JSON.parse((await cli(m.home, repo.dir, ['tasks', 'list', '--json'])).stdout) as {
    tasks: Array<{ title: string }>;
  };
  expect(listed.tasks.map((t) => t.title).sort()).toEqual(['first', 'second']);
  const breakers = withHomeCache(m.home, (cache) => listBreakers(cache));
  expect(breakers.filter((b) => b.state !== 'closed')).toEqual([]);
  expect(breakers.map((b) => b.server)).not.toContain('built-in store');
}, 300_000);

/** `tasks list` on a remote source (the reference server) in the same home. */
function spawnRemote(home: string, cwd: string, url: string, token: string) {
  return new Promise<{ code: number | null }>((resolve) => {
    const child = spawn(process.execPath, [CLI, 'tasks', 'list'], {
      cwd,
      env: hookEnv(home, { MCP_SERVER_URL: url, MCP_API_TOKEN: token }),
      stdio: 'ignore',
    });
    child.on('close', (code) => resolve({ code }));
  });
}

/** A project whose built-in store the CLI wrote one task into ("first"), with no monitor: its home, repo and tasks.db. */
async function storeWithFirstTask() {
  const home = tempHome();
  cleanups.push(home.cleanup);
  const repo = makeRepo({ name: 'shop', commits: ['initial'] });
  cleanups.push(repo.cleanup);
  expect((await cli(home.home, repo.dir, ['tasks', 'add', 'first'])).code).toBe(0);
  return { home, repo, file: path.join(home.home, 'tasks.db') };
}

it('a write the CLI leaves in the write-ahead log (it exits without a checkpoint) is read by a connection already open, a new process and the next hook', async () => {
  const { home, repo, file } = await storeWithFirstTask();
  // The command ended with its connection open: SQLite folded nothing into tasks.db and kept the log for the next.
  expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
  // A reader that holds the store open across another process's write, as the monitor does.
  const reader = openDatabase(file, { readonly: true });
  cleanups.push(() => reader.close());
  const titles = (): string[] =>
    (reader.prepare('SELECT title FROM tasks ORDER BY title').all() as Array<{ title: string }>).map((r) => r.title);
  expect(titles()).toEqual(['first']);
  const added = await cli(home.home, repo.dir, ['tasks', 'add', 'second']);
  expect({ code: added.code, stderr: added.stderr }).toEqual({ code: 0, stderr: '' });
  expect(titles()).toEqual(['first', 'second']);
  const listed = await cli(home.home, repo.dir, ['tasks', 'list', '--json']);
  expect((JSON.parse(listed.stdout) as { tasks: Array<{ title: string }> }).tasks.map((t) => t.title).sort()).toEqual([
    'first',
    'second',
  ]);
  const started = await cli(home.home, repo.dir, ['tasks', 'start', 'TASK-002']);
  expect(started.code, started.stderr).toBe(0);
  const hook = await runHook(
    'pre-tool-use',
    preToolUseInput(repo.dir, 'Edit', { file_path: path.join(repo.dir, 'a.ts') }, 's1'),
    { home: home.home },
  );
  expect(hook.output?.hookSpecificOutput.additionalContext).toContain('TASK-002 "second" (status in_progress)');
}, 120_000);

it('writes past the write-ahead log bound with no monitor: each log folded back under it, every write kept', async () => {
  const { home, repo, file } = await storeWithFirstTask();
  // Each note ≈ 100 KB: a dozen carry the log past its bound, where no process closing it would ever empty it.
  const note = (i: number): string => `note ${i}: ${'lorem ipsum dolor sit amet '.repeat(3700)}`;
  const sizes: number[] = [];
  for (let i = 0; i < 14; i++) {
    const noted = await cli(home.home, repo.dir, ['tasks', 'note', 'TASK-001', note(i)]);
    expect({ code: noted.code, stderr: noted.stderr }).toEqual({ code: 0, stderr: '' });
    sizes.push(statSync(`${file}-wal`).size);
  }
  expect(sizes.some((s) => s === 0)).toBe(true);
  for (const s of sizes) expect(s).toBeLessThanOrEqual(WAL_FOLD_BYTES + 512 * 1024);
  expect(statSync(path.join(home.home, 'cache.db-wal')).size).toBeLessThanOrEqual(WAL_FOLD_BYTES + 512 * 1024);
  const shown = await cli(home.home, repo.dir, ['tasks', 'show', 'TASK-001', '--json']);
  // `show` may shorten long details: each note's start, in order, says every write is there.
  expect((JSON.parse(shown.stdout) as { details: string }).details.match(/note \d+:/g)).toEqual(
    Array.from({ length: 14 }, (_, i) => `note ${i}:`),
  );
}, 300_000);
