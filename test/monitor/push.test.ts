// Changes pushed to a real monitor (the built CLI) by a real `taskhooks serve` (the built CLI, SQLite store): the
// monitor subscribes, a change made through the server reaches the next hook with both schedules a year out (so only
// the push can explain it); the server killed, the monitor falls back to polling, resubscribes when it returns and
// misses no change, including one made while it was down.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSnapshot } from '../../src/cache/snapshots.js';
import { openTaskDb } from '../../src/server/index.js';
import { runHookHere, sessionStartInput, tempHome, withHomeCache, ROOMY_DEADLINES } from '../helpers/hooks.js';
import { startServe, type ServeProcess } from '../helpers/serve.js';
import { connectHttp, envelope } from '../server/client.js';
import { makeRepoFor } from './fixtures.js';
import { monitorHome, waitFor } from './helpers.js';

const NEVER = '0 0 1 1 *';
const TOKEN = 'push-test-token-0123456789abcdefghijklmnop';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const logCount = (home: string, line: string): number => {
  const file = path.join(home, 'logs', 'monitor.log');
  return existsSync(file) ? readFileSync(file, 'utf8').split(line).length - 1 : 0;
};

let mainBranch = '';

async function addTask(url: string, title: string): Promise<void> {
  const client = await connectHttp(url, TOKEN);
  try {
    const made = await envelope(client, 'manage_task', { action: 'create', git_branch_id: mainBranch, title });
    expect(made.error ?? null).toBeNull();
  } finally {
    await client.close();
  }
}

const titles = (home: string, url: string): string[] =>
  withHomeCache(
    home,
    (s) => readSnapshot(s, { sourceKey: url, project: 'shop', branch: 'main' })?.tasks.map((t) => t.title) ?? [],
  );

describe('changes pushed to the monitor (real processes)', () => {
  it('a change through serve reaches the next hook; a killed server is polled, resubscribed, and nothing is missed', async () => {
    const serverHome = tempHome();
    cleanups.push(serverHome.cleanup);
    const dbFile = path.join(serverHome.home, 'team.db');
    let serve: ServeProcess = await startServe(serverHome.home, ['--db', dbFile, '--token', TOKEN]);
    cleanups.push(() => serve.kill());
    const { url, port } = serve;
    const admin = await connectHttp(url, TOKEN);
    const project = await envelope(admin, 'manage_project', { action: 'create', name: 'shop' });
    const branch = await envelope(admin, 'manage_git_branch', {
      action: 'create',
      project_id: project.data.project.id,
      git_branch_name: 'main',
    });
    mainBranch = branch.data.git_branch.id as string;
    await admin.close();
    await addTask(url, 'Seed task');

    const m = monitorHome({
      source: { servers: [url], timeoutMs: 2000 },
      auth: { token: TOKEN },
      hooks: ROOMY_DEADLINES,
      monitor: { taskSchedule: NEVER, gitSchedule: NEVER },
    });
    cleanups.push(() => m.cleanup());
    const repo = makeRepoFor('shop');
    cleanups.push(repo.cleanup);
    expect(m.cli(['monitor', 'start']).code).toBe(0);
    expect(
      (await runHookHere('session-start', sessionStartInput(repo.dir, 's-1'), { home: m.home, cwd: repo.dir })).code,
    ).toBe(0);
    await waitFor('the monitor to subscribe', () => logCount(m.home, 'subscribed: task changes are pushed') === 1);

    await addTask(url, 'Pushed while live');
    await waitFor('the pushed change in the snapshot', () => titles(m.home, url).includes('Pushed while live'));
    const hook = await runHookHere('session-start', sessionStartInput(repo.dir, 's-2'), {
      home: m.home,
      cwd: repo.dir,
    });
    expect(hook.stdout).toContain('Pushed while live');

    await serve.kill('SIGKILL');
    await waitFor('the fallback to polling', () => logCount(m.home, 'changes not pushed: polling') >= 1);
    // Written while no server runs: no one can push it.
    const db = openTaskDb(dbFile);
    db.createTask({
      projectId: db.ensureProject('shop').id,
      gitBranchId: db.ensureBranch(db.ensureProject('shop').id, 'main').id,
      title: 'Written while down',
    });
    db.close();

    serve = await startServe(serverHome.home, ['--db', dbFile, '--token', TOKEN], port);
    await waitFor(
      'the monitor to subscribe again',
      () => logCount(m.home, 'subscribed: task changes are pushed') === 2,
      60_000,
    );
    await waitFor('the change made while down', () => titles(m.home, url).includes('Written while down'));
    await addTask(url, 'Pushed after the restart');
    await waitFor('the change after the restart', () => titles(m.home, url).includes('Pushed after the restart'));
    expect(titles(m.home, url).sort()).toEqual([
      'Pushed after the restart',
      'Pushed while live',
      'Seed task',
      'Written while down',
    ]);
    expect(logCount(m.home, 'task refresh cycle done')).toBe(1);
  });

  it('no polling while idle: a subscribed source is left out of a schedule that fires every second', async () => {
    const serverHome = tempHome();
    cleanups.push(serverHome.cleanup);
    const serve = await startServe(serverHome.home, ['--db', path.join(serverHome.home, 'team.db'), '--token', TOKEN]);
    cleanups.push(() => serve.kill());
    const m = monitorHome({
      source: { servers: [serve.url], timeoutMs: 2000 },
      auth: { token: TOKEN },
      monitor: { taskSchedule: '* * * * * *', gitSchedule: NEVER },
    });
    cleanups.push(() => m.cleanup());
    const repo = makeRepoFor('shop');
    cleanups.push(repo.cleanup);
    expect(m.cli(['monitor', 'start']).code).toBe(0);
    expect(
      (await runHookHere('session-start', sessionStartInput(repo.dir, 's-1'), { home: m.home, cwd: repo.dir })).code,
    ).toBe(0);
    await waitFor('the monitor to subscribe', () => logCount(m.home, 'subscribed: task changes are pushed') === 1);
    const serverLog = path.join(serverHome.home, 'logs', 'server.log');
    const calls = (): number =>
      existsSync(serverLog) ? readFileSync(serverLog, 'utf8').split('"msg":"tool call"').length - 1 : 0;
    // The fetch the subscription asked for lands first; after that the server hears nothing while cycles run.
    await waitFor('the re-fetch after subscribing', () =>
      withHomeCache(
        m.home,
        (s) => readSnapshot(s, { sourceKey: serve.url, project: 'shop', branch: 'main' })?.staleSince === undefined,
      ),
    );
    const cyclesBefore = logCount(m.home, 'task refresh cycle done');
    await new Promise((r) => setTimeout(r, 1500));
    const before = calls();
    await waitFor('three more scheduled cycles', () => logCount(m.home, 'task refresh cycle done') >= cyclesBefore + 3);
    expect(calls()).toBe(before);
  });
});
