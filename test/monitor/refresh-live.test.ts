// Real monitor processes against the real reference server: refresh, served hooks, alerts, a server going down,
// coalescing and the 14-day drop.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readBreaker } from '../../src/cache/breakers.js';
import { listProjects, registerProject } from '../../src/cache/registered-projects.js';
import { markSnapshotStale, readSnapshot } from '../../src/cache/snapshots.js';
import type { TaskDb } from '../../src/server/index.js';
import {
  preToolUseInput,
  ROOMY_DEADLINES,
  ROOMY_SOURCE_TIMEOUT_MS,
  runHookHere,
  sessionStartInput,
  withHomeCache,
} from '../helpers/hooks.js';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';
import { makeRepoFor } from './fixtures.js';
import { type MonitorHome, perTest, waitFor } from './helpers.js';

let ref: ReferenceServer | undefined;
const t = perTest();
afterEach(async () => {
  await ref?.close();
  ref = undefined;
});

function seedShop(db: TaskDb): void {
  const p = db.ensureProject('shop');
  const b = db.ensureBranch(p.id, 'main');
  db.createTask({
    projectId: p.id,
    gitBranchId: b.id,
    title: 'Write the checkout page',
    priority: 'medium',
    status: 'in_progress',
  });
  db.createTask({ projectId: p.id, gitBranchId: b.id, title: 'Refactor the cart', priority: 'low' });
}

function repo(name: string): string {
  const r = makeRepoFor(name);
  t.undo(r.cleanup);
  return r.dir;
}

const snapshotOf = (home: string, url: string) =>
  withHomeCache(home, (s) => readSnapshot(s, { sourceKey: url, project: 'shop', branch: 'main' }));

async function served(m: MonitorHome, route: string, body: unknown): Promise<unknown> {
  const token = readFileSync(path.join(m.home, 'hook-token'), 'utf8').trim();
  const r = await fetch(`http://127.0.0.1:${m.info()?.hookPort}/hooks/${route}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'x-taskhooks-token': token },
  });
  expect(r.status).toBe(200);
  return r.json();
}

const contextOf = (out: unknown): string =>
  (out as { hookSpecificOutput?: { additionalContext?: string } } | null)?.hookSpecificOutput?.additionalContext ?? '';

describe('monitor refresh against the reference server (real processes)', () => {
  it('refreshes, answers served hooks like the command hook, shows an alert exactly once, and keeps the snapshot when the server goes down', async () => {
    ref = await startReferenceServer({ seed: seedShop });
    const url = ref.url;
    // The reference server runs in this worker, which a synchronous CLI call holds up: a short timeout could fail a
    // refresh then. A closed port still fails at once.
    const m = t.home({
      source: { servers: [url], timeoutMs: ROOMY_SOURCE_TIMEOUT_MS },
      auth: { token: ref.token },
      monitor: { taskSchedule: '* * * * * *' },
    });
    const home = m.home;
    const dir = repo('shop');
    m.register(dir, 'shop');
    expect(m.cli(['monitor', 'start']).code).toBe(0);

    const first = await waitFor('the first snapshot', () => snapshotOf(home, url));
    expect(first.tasks.map((t) => t.title).sort()).toEqual(['Refactor the cart', 'Write the checkout page']);

    // Served SessionStart: the same runner as the command hook, so the same context. The hooks here run in this
    // process: what they answer is the subject, not their process.
    const servedCtx = contextOf(await served(m, 'session-start', sessionStartInput(dir, 'served-1')));
    expect(servedCtx).toContain('Write the checkout page');
    const command = await runHookHere('session-start', sessionStartInput(dir, 'cmd-1'), { home, cwd: dir });
    expect(contextOf(command.output).split('\n')[1]).toBe(servedCtx.split('\n')[1]);
    expect(
      await served(m, 'pre-tool-use', preToolUseInput(dir, 'Read', { file_path: path.join(dir, 'x') })),
    ).toBeTypeOf('object');

    // A new critical task becomes an alert; the next SessionStart shows it, the one after does not.
    const p = ref.db.ensureProject('shop');
    ref.db.createTask({
      projectId: p.id,
      gitBranchId: ref.db.ensureBranch(p.id, 'main').id,
      title: 'Fix login outage',
      priority: 'critical',
    });
    await waitFor('the alert', () =>
      withHomeCache(home, (s) => (s.db.prepare('SELECT COUNT(*) AS n FROM alerts').get() as { n: number }).n > 0),
    );
    const once = await runHookHere('session-start', sessionStartInput(dir, 'cmd-2'), { home, cwd: dir });
    // The new task is the one at hand: told as next, its alert not repeated beneath it (the alert is spent all the same).
    expect(contextOf(once.output)).toMatch(/Next recommended task: [^ ]+ "Fix login outage"/);
    expect(contextOf(once.output)).not.toContain('New critical task');
    const twice = await runHookHere('session-start', sessionStartInput(dir, 'cmd-3'), { home, cwd: dir });
    expect(contextOf(twice.output)).not.toContain('New critical task');

    const status = JSON.parse(m.cli(['monitor', 'status', '--json']).stdout) as {
      projects: Array<{ root: string; outcome: string; nextRunAt: number }>;
      servers: Array<{ server: string; health: string }>;
    };
    expect(status.projects).toEqual([
      expect.objectContaining({ root: dir, outcome: 'ok', nextRunAt: expect.any(Number) }),
    ]);
    expect(status.servers).toEqual([expect.objectContaining({ server: url, health: 'ok' })]);

    // The server goes away: the breaker opens, the old snapshot stays, SessionStart still shows the tasks with their age.
    await ref.close();
    ref = undefined;
    await waitFor(
      'the breaker to open',
      () => withHomeCache(home, (s) => readBreaker(s, url).state === 'open'),
      40_000,
    );
    const kept = snapshotOf(home, url);
    expect(kept?.tasks.map((t) => t.title)).toContain('Write the checkout page');
    expect(kept?.lastError).toBeTruthy();
    expect(withHomeCache(home, (s) => listProjects(s)[0]?.lastOutcome)).toBe('error');
    const down = contextOf(
      (await runHookHere('session-start', sessionStartInput(dir, 'cmd-4'), { home, cwd: dir })).output,
    );
    expect(down).toContain('Write the checkout page');
    expect(down).toMatch(/ago/);
    const downStatus = JSON.parse(m.cli(['monitor', 'status', '--json']).stdout) as {
      servers: Array<{ health: string; breaker: string }>;
    };
    expect(downStatus.servers[0]).toMatchObject({ health: 'down', breaker: 'open' });
  }, 120_000);

  it('answers a served SessionStart that needs a live snapshot through its own job lane, as for a command hook', async () => {
    ref = await startReferenceServer({ seed: seedShop });
    const url = ref.url;
    const never = '0 0 1 1 *';
    // What is checked is the route the fetch takes, not its speed: on a loaded machine the default 1.5 s can run out.
    const m = t.home({
      source: { servers: [url], timeoutMs: ROOMY_SOURCE_TIMEOUT_MS },
      auth: { token: ref.token },
      monitor: { taskSchedule: never, gitSchedule: never },
      hooks: ROOMY_DEADLINES,
    });
    const home = m.home;
    const dir = repo('shop');
    withHomeCache(home, (s) => registerProject(s, { root: dir, name: 'shop', sourceKey: url, registeredBy: 'test' }));
    expect(m.cli(['monitor', 'start']).code).toBe(0);
    // Loaded after the start-up cycle and wake, in the same lane: nothing runs after this line.
    const log = path.join(home, 'logs', 'monitor.log');
    await waitFor(
      'the monitor to be ready',
      () => existsSync(log) && readFileSync(log, 'utf8').includes('ready: the network stack is loaded'),
    );
    const before = withHomeCache(home, (s) => listProjects(s)[0]?.lastRefreshAt);
    expect(before).toBeTypeOf('number');

    // A change elsewhere, marked stale without waking the monitor: the session needs a live snapshot.
    const p = ref.db.ensureProject('shop');
    ref.db.createTask({
      projectId: p.id,
      gitBranchId: ref.db.ensureBranch(p.id, 'main').id,
      title: 'Added elsewhere',
      priority: 'low',
    });
    withHomeCache(home, (s) => markSnapshotStale(s, { sourceKey: url, project: 'shop', branch: 'main' }));
    const live = contextOf(await served(m, 'session-start', sessionStartInput(dir, 'served-live')));
    expect(live, readFileSync(log, 'utf8')).toContain('Added elsewhere');
    // Only the monitor's refreshes record an outcome on the project: the fetch ran in its lane, not beside it.
    expect(withHomeCache(home, (s) => listProjects(s)[0]?.lastRefreshAt)).toBeGreaterThan(before ?? Infinity);
  }, 60_000);

  it('fetches once for two clones of one project on one branch, and drops a project not seen for 14 days', async () => {
    ref = await startReferenceServer({ seed: seedShop });
    // No scheduled cycle during the test: only the one every monitor runs at start.
    const m = t.home({
      source: { servers: [ref.url], timeoutMs: ROOMY_SOURCE_TIMEOUT_MS },
      auth: { token: ref.token },
      monitor: { taskSchedule: '0 0 1 1 *' },
    });
    const a = repo('shop');
    const b = repo('shop');
    const old = repo('old');
    m.register(a, 'shop');
    m.register(b, 'shop');
    m.register(old, 'old', Date.now() - 15 * 86_400_000);
    const home = m.home;
    expect(m.cli(['monitor', 'start']).code).toBe(0);
    const projects = await waitFor('both clones refreshed', () => {
      const ps = withHomeCache(home, (s) => listProjects(s));
      return ps.every((p) => p.lastOutcome === 'ok') && ps.length === 2 ? ps : undefined;
    });
    expect(projects.map((p) => p.root).sort()).toEqual([a, b].sort());
    const { readFileSync } = await import('node:fs');
    const calls = readFileSync(ref.logFile, 'utf8')
      .split('\n')
      .filter(
        (l) => l.includes('"msg":"tool call"') && l.includes('"tool":"manage_task"') && l.includes('"action":"list"'),
      );
    expect(calls).toHaveLength(1);
  }, 60_000);
});
