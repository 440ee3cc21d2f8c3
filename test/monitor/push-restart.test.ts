// A team server restarted under a subscribed monitor: real `taskhooks serve` (the built CLI) on real PostgreSQL, a
// real monitor (the built CLI) subscribed through it. Serve stops; tasks are added, changed and deleted straight in
// the database, where no one can push them; serve starts again on the same port. The monitor resubscribes and its
// snapshot catches up through one `list since` its cursor (serve's log shows the since, and no whole list).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSnapshot } from '../../src/cache/snapshots.js';
import { openPostgresStore } from '../../src/store/postgres/store.js';
import { runHook, sessionStartInput, tempHome, withHomeCache } from '../helpers/hooks.js';
import { postgresForFile } from '../helpers/postgres.js';
import { startServe } from '../helpers/serve.js';
import { connectHttp, envelope } from '../server/client.js';
import { makeRepoFor } from './fixtures.js';
import { monitorHome, waitFor } from './helpers.js';

const TOKEN = 'restart-test-token-0123456789abcdefghijk';
const NEVER = '0 0 1 1 *';
const pg = postgresForFile();

const linesOf = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n') : []);

interface ToolCallLine {
  msg?: string;
  tool?: string;
  action?: string;
  since?: number;
}

/** The task list reads in serve's log from line `from` on. */
function listReads(file: string, from: number): ToolCallLine[] {
  return linesOf(file)
    .slice(from)
    .filter((l) => l.includes('"msg":"tool call"'))
    .map((l) => JSON.parse(l) as ToolCallLine)
    .filter((l) => l.tool === 'manage_task' && l.action === 'list');
}

describe('a monitor across a serve restart (real processes, PostgreSQL)', () => {
  it('resubscribes and applies what it missed through a delta', async () => {
    const url = await pg.createDatabase();
    const serverHome = tempHome();
    let serve = await startServe(serverHome.home, ['--database', url, '--token', TOKEN]);
    const { port } = serve;
    const sourceKey = serve.url;
    const m = monitorHome({
      source: { servers: [serve.url], timeoutMs: 2000 },
      auth: { token: TOKEN },
      monitor: { taskSchedule: NEVER, gitSchedule: NEVER },
    });
    const repo = makeRepoFor('shop');
    try {
      const admin = await connectHttp(serve.url, TOKEN);
      const project = await envelope(admin, 'manage_project', { action: 'create', name: 'shop' });
      const branch = await envelope(admin, 'manage_git_branch', {
        action: 'create',
        project_id: project.data.project.id,
        git_branch_name: 'main',
      });
      const branchId = branch.data.git_branch.id as string;
      const seed = await envelope(admin, 'manage_task', { action: 'create', git_branch_id: branchId, title: 'Seed' });
      await envelope(admin, 'manage_task', { action: 'create', git_branch_id: branchId, title: 'Kept' });
      await admin.close();

      expect(m.cli(['monitor', 'start']).code).toBe(0);
      expect(
        (await runHook('session-start', sessionStartInput(repo.dir, 's-1'), { home: m.home, cwd: repo.dir })).code,
      ).toBe(0);
      const monitorLog = path.join(m.home, 'logs', 'monitor.log');
      const subscriptions = (): number =>
        linesOf(monitorLog).filter((l) => l.includes('subscribed: task changes are pushed')).length;
      const snapshot = () =>
        withHomeCache(m.home, (s) => readSnapshot(s, { sourceKey, project: 'shop', branch: 'main' }));
      await waitFor('the monitor to subscribe', () => subscriptions() === 1);
      await waitFor(
        'a snapshot with a cursor',
        () => snapshot()?.cursor !== undefined && snapshot()?.staleSince === undefined,
      );

      await serve.kill('SIGTERM');
      await waitFor('the fallback to polling', () =>
        linesOf(monitorLog).some((l) => l.includes('changes not pushed: polling')),
      );
      // Written while no serve runs: nobody can push these.
      const store = await openPostgresStore({ connectionString: url, maxConnections: 2 });
      try {
        const { project: shop } = await store.getOrCreateProject({ name: 'shop' });
        await store.createTask({ projectId: shop.id, gitBranchId: branchId, title: 'Added while down' });
        await store.updateTask(seed.data.task.id as string, { title: 'Seed, renamed while down', priority: 'high' });
        const gone = await store.createTask({ projectId: shop.id, gitBranchId: branchId, title: 'Short-lived' });
        await store.deleteTask(gone.id);
      } finally {
        await store.close();
      }

      const serverLog = path.join(serverHome.home, 'logs', 'server.log');
      const from = linesOf(serverLog).length;
      serve = await startServe(serverHome.home, ['--database', url, '--token', TOKEN], port);
      await waitFor('the monitor to subscribe again', () => subscriptions() === 2, 60_000);
      await waitFor('the missed changes in the snapshot', () =>
        snapshot()?.tasks.some((t) => t.title === 'Added while down'),
      );
      expect(snapshot()?.tasks.map((t) => t.title)).toEqual(['Seed, renamed while down', 'Kept', 'Added while down']);
      // serve writes its log in batches: the reads' lines may land after the snapshot.
      const reads = await waitFor(
        'the reads in the server log',
        () => listReads(serverLog, from).length > 0 && listReads(serverLog, from),
      );
      expect(reads.length).toBeGreaterThan(0);
      expect(reads.every((r) => typeof r.since === 'number')).toBe(true);
    } finally {
      await serve.kill('SIGTERM');
      m.cleanup();
      repo.cleanup();
      serverHome.cleanup();
    }
  });
});
