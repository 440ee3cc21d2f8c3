// One fetch for many sessions: SessionStarts started at once on a cold cache all inject the tasks, fetched by the
// running monitor on request or, without one, once by the hook holding the cache's lease; the lease and the stale marks
// underneath, unit by unit.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fetchLeaseHeld, releaseFetchLease, takeFetchLease } from '../../src/cache/leases.js';
import { listSnapshotsDue, markProjectStale, patchSnapshotTasks, markSnapshotStale, readSnapshot, readSnapshotBrief, writeSnapshot } from '../../src/cache/snapshots.js';
import { demoProject, runHook, sessionStartInput, task, withStore } from '../helpers/hooks.js';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';
import { makeRepoFor } from '../monitor/fixtures.js';
import { monitorHome, waitFor } from '../monitor/helpers.js';

const NEVER = '0 0 1 1 *';

let server: ReferenceServer;
beforeAll(async () => {
  server = await startReferenceServer({
    seed: (db) => {
      const p = db.createProject({ name: 'demo' });
      const main = db.createBranch({ projectId: p.id, name: 'main' });
      db.createTask({ projectId: p.id, gitBranchId: main.id, title: 'Refund flow', priority: 'high', status: 'in_progress' });
      db.createTask({ projectId: p.id, gitBranchId: main.id, title: 'Retry webhooks' });
    },
  });
});
afterAll(async () => server?.close());
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** The reference server's fetches of the project list: one per fetch (it lists the project, branches, tasks, next). */
const projectLists = (): number =>
  readFileSync(server.logFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"tool":"manage_project"') && l.includes(`"action":"list"`)).length;

/** n SessionStarts at once in `dir`: every one carries both tasks, and no hook logged a failed fetch. */
async function herd(n: number, home: string, dir: string): Promise<void> {
  const runs = await Promise.all(Array.from({ length: n }, (_, i) => runHook('session-start', sessionStartInput(dir, `herd-${i}`), { home, cwd: dir, env: { TASKHOOKS_PROBE: '1' } })));
  for (const r of runs) console.log(r.ms, r.stderr.trim().split('\n').join(' | '), (r.output?.hookSpecificOutput.additionalContext ?? '').split('\n')[1]);
  for (const run of runs) {
    expect(run.code).toBe(0);
    const text = run.output?.hookSpecificOutput.additionalContext ?? '';
    expect(text, text).toContain('2 pending tasks');
    expect(text).toContain('"Refund flow"');
    expect(text).toContain('"Retry webhooks"');
  }
  const log = path.join(home, 'logs', 'hooks.log');
  expect(existsSync(log) ? readFileSync(log, 'utf8') : '').not.toContain('live fetch failed');
}

describe('concurrent cold SessionStarts', () => {
  // The usual case: a monitor runs (the first session started it). The hooks ask it, and none loads the network stack.
  it.each([8, 16])('%i started at once with a monitor running all carry the tasks, fetched by the monitor', async (n) => {
    const m = monitorHome({ source: { servers: [server.url] }, auth: { token: server.token }, monitor: { taskSchedule: NEVER, gitSchedule: NEVER } });
    cleanups.push(m.cleanup);
    expect(m.cli(['monitor', 'start']).code).toBe(0);
    await waitFor('the monitor', () => m.info()?.pid);
    const repo = makeRepoFor('demo');
    cleanups.push(repo.cleanup);
    const before = projectLists();
    await herd(n, m.home, repo.dir);
    expect(projectLists() - before).toBeLessThan(3);
    expect(readFileSync(path.join(m.home, 'logs', 'hooks.log'), 'utf8')).not.toContain('fetching here');
  });

  // No monitor: the first hook to find the project cold fetches, holding a lease; the others wait for its snapshot.
  it('8 started at once without a monitor all carry the tasks, fetched once', async () => {
    const project = demoProject({ config: { source: { servers: [server.url] }, auth: { token: server.token } } });
    cleanups.push(project.cleanup);
    const before = projectLists();
    await herd(8, project.home, project.repo.dir);
    expect(projectLists() - before).toBe(1);
  });
});

describe('stale marks and fetch leases', () => {
  const key = { sourceKey: 'embedded', project: 'demo', branch: 'main' };

  it('a stale mark survives a fetch that began before it, and is cleared by one that began after', () => {
    const project = demoProject();
    cleanups.push(project.cleanup);
    withStore(project.home, (s) => {
      const snap = { ...key, fetchedAt: 1000, source: 'embedded', tasks: [task('T-1')], next: null };
      s.write(() => writeSnapshot(s, snap));
      expect(markProjectStale(s, 'demo', 2000)).toBe(1);
      expect(markSnapshotStale(s, { ...key, branch: 'none' }, 2000)).toBe(false);
      expect(readSnapshotBrief(s, 'embedded', 'demo', 'main')?.stale).toBe(true);
      expect(listSnapshotsDue(s)).toEqual([{ ...key, dueSince: 2000, stale: true }]);
      s.write(() => writeSnapshot(s, { ...snap, fetchedAt: 2500 }, 1500)); // began before the change
      expect(readSnapshot(s, 'embedded', 'demo', 'main')?.staleSince).toBe(2000);
      s.write(() => writeSnapshot(s, { ...snap, fetchedAt: 3000 }, 2001));
      expect(readSnapshot(s, 'embedded', 'demo', 'main')?.staleSince).toBeUndefined();
      expect(listSnapshotsDue(s)).toEqual([]);
    });
  });

  it('a snapshot patched from a tool answer is due for a fetch but not stale, until a fetch that began after the patch', () => {
    const project = demoProject();
    cleanups.push(project.cleanup);
    withStore(project.home, (s) => {
      s.write(() => writeSnapshot(s, { ...key, fetchedAt: 1000, source: 'embedded', tasks: [task('T-1')], next: null }));
      expect(patchSnapshotTasks(s, key, [{ id: 'T-1', status: 'in_progress' }], 2000)).toEqual({ patched: ['T-1'], unknown: [] });
      expect(readSnapshotBrief(s, 'embedded', 'demo', 'main')).toMatchObject({ stale: false, inProgress: { id: 'T-1' } });
      expect(listSnapshotsDue(s)).toEqual([{ ...key, dueSince: 2000, stale: false }]);
      s.write(() => writeSnapshot(s, { ...key, fetchedAt: 3000, source: 'embedded', tasks: [task('T-1', { status: 'in_progress' })], next: null }, 2500));
      expect(listSnapshotsDue(s)).toEqual([]);
    });
  });

  it('one holder at a time; an expired lease is free; only the holder releases it', () => {
    const project = demoProject();
    cleanups.push(project.cleanup);
    withStore(project.home, (s) => {
      expect(takeFetchLease(s, key, 'a', 5000, 1000)).toBe(true);
      expect(takeFetchLease(s, key, 'b', 5000, 1000)).toBe(false);
      expect(fetchLeaseHeld(s, key, 1000)).toBe(true);
      releaseFetchLease(s, key, 'b');
      expect(fetchLeaseHeld(s, key, 1000)).toBe(true);
      expect(takeFetchLease(s, key, 'b', 9000, 6000)).toBe(true); // a's lease expired at 5000
      releaseFetchLease(s, key, 'b');
      expect(fetchLeaseHeld(s, key, 6000)).toBe(false);
    });
  });
});
