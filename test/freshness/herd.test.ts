// One fetch for many sessions: SessionStarts started at once on a cold cache share one live fetch (a lease in the
// cache) and all inject the tasks; the lease and the stale marks underneath, unit by unit.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fetchLeaseHeld, releaseFetchLease, takeFetchLease } from '../../src/cache/leases.js';
import { listSnapshotsDue, markProjectStale, patchSnapshotTasks, markSnapshotStale, readSnapshot, readSnapshotBrief, writeSnapshot } from '../../src/cache/snapshots.js';
import { demoProject, runHook, sessionStartInput, task, withStore } from '../helpers/hooks.js';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';

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

describe('concurrent cold SessionStarts', () => {
  it.each([8, 16])('%i started at once all carry the tasks, fetched once', async (n) => {
    const project = demoProject({ config: { source: { servers: [server.url] }, auth: { token: server.token } } });
    cleanups.push(project.cleanup);
    const runs = await Promise.all(
      Array.from({ length: n }, (_, i) => runHook('session-start', sessionStartInput(project.repo.dir, `herd-${i}`), { home: project.home })),
    );
    for (const run of runs) {
      expect(run.code).toBe(0);
      const text = run.output?.hookSpecificOutput.additionalContext ?? '';
      expect(text, text).toContain('2 pending tasks');
      expect(text).toContain('"Refund flow"');
      expect(text).toContain('"Retry webhooks"');
    }
    // The server's log has one line per tool call: one fetch lists the project, its branches, the tasks and the next one.
    const projectLists = readFileSync(server.logFile, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"tool":"manage_project"') && l.includes(`"action":"list"`)).length;
    expect(projectLists).toBeLessThan(n);
    // Nothing failed: a hooks log, if any line was written at all, holds no failed fetch.
    const log = path.join(project.home, 'logs', 'hooks.log');
    expect(existsSync(log) ? readFileSync(log, 'utf8') : '').not.toContain('live fetch failed');
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
