// What one fetch for many sessions stands on, unit by unit: the stale marks and the fetch lease in the cache. The
// sessions themselves, started at once, are in test/e2e/herd.test.ts (a suite that runs alone on the machine).
import { afterEach, describe, expect, it } from 'vitest';
import { fetchLeaseHeld, releaseFetchLease, takeFetchLease } from '../../src/cache/leases.js';
import {
  listSnapshotsDue,
  markProjectStale,
  markSnapshotStale,
  patchSnapshotTasks,
  readSnapshot,
  readSnapshotBrief,
  requestSnapshotFetch,
  writeSnapshot,
} from '../../src/cache/snapshots.js';
import { demoProject, task, withHomeCache } from '../helpers/hooks.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('stale marks and fetch leases', () => {
  const key = { sourceKey: 'embedded', project: 'demo', branch: 'main' };

  it('a stale mark survives a fetch that began before it, and is cleared by one that began after', () => {
    const project = demoProject();
    cleanups.push(project.cleanup);
    withHomeCache(project.home, (s) => {
      const snap = { ...key, fetchedAt: 1000, source: 'embedded', tasks: [task('T-1')], next: null };
      s.write(() => writeSnapshot(s, snap));
      expect(markProjectStale(s, 'demo', 2000)).toBe(1);
      expect(markSnapshotStale(s, { ...key, branch: 'none' }, 2000)).toBe(false);
      expect(readSnapshotBrief(s, { sourceKey: 'embedded', project: 'demo', branch: 'main' })?.stale).toBe(true);
      expect(listSnapshotsDue(s)).toEqual([key]);
      s.write(() => writeSnapshot(s, { ...snap, fetchedAt: 2500 }, 1500)); // began before the change
      expect(readSnapshot(s, { sourceKey: 'embedded', project: 'demo', branch: 'main' })?.staleSince).toBe(2000);
      s.write(() => writeSnapshot(s, { ...snap, fetchedAt: 3000 }, 2001));
      expect(readSnapshot(s, { sourceKey: 'embedded', project: 'demo', branch: 'main' })?.staleSince).toBeUndefined();
      expect(listSnapshotsDue(s)).toEqual([]);
    });
  });

  it('a second change before the fetch lands keeps the mark: a fetch that began between the two does not clear it', () => {
    const project = demoProject();
    cleanups.push(project.cleanup);
    withHomeCache(project.home, (s) => {
      const snap = { ...key, fetchedAt: 1000, source: 'embedded', tasks: [task('T-1')], next: null };
      s.write(() => writeSnapshot(s, snap));
      markProjectStale(s, 'demo', 2000); // a first change; a fetch for it begins at 2100
      expect(markSnapshotStale(s, key, 2200)).toBe(true); // a second change while it runs
      s.write(() => writeSnapshot(s, { ...snap, fetchedAt: 2300 }, 2100));
      expect(readSnapshot(s, key)?.staleSince).toBe(2200);
      // A mark older than the one held does not move it back.
      markProjectStale(s, 'demo', 2150);
      expect(readSnapshot(s, key)?.staleSince).toBe(2200);
      s.write(() => writeSnapshot(s, { ...snap, fetchedAt: 2400 }, 2201));
      expect(readSnapshot(s, key)?.staleSince).toBeUndefined();
    });
  });

  it('a fetch that began before a later listing of the same server was written does not write the older one back', () => {
    const project = demoProject();
    cleanups.push(project.cleanup);
    withHomeCache(project.home, (s) => {
      const basis = 'agenthub http://127.0.0.1:1/mcp branch b1';
      const at = (sequence: number, fetchedAt: number, tasks = [task('T-1')]) => ({
        ...key,
        fetchedAt,
        source: 'x',
        tasks,
        next: null,
        cursor: { sequence, basis },
      });
      s.write(() => writeSnapshot(s, at(5, 1000)));
      // A pushed patch to sequence 9 lands at 2000 while a fetch that began at 1500 reads sequence 7.
      s.write(() => writeSnapshot(s, at(9, 2000, [task('T-1'), task('T-2')]), 0));
      s.write(() => writeSnapshot(s, at(7, 2100), 1500));
      expect(readSnapshot(s, key)).toMatchObject({ cursor: { sequence: 9 }, tasks: [{ id: 'T-1' }, { id: 'T-2' }] });
      // One that began after the patch is written, even behind it: the server may have been restored from a backup.
      s.write(() => writeSnapshot(s, at(3, 3000), 2500));
      expect(readSnapshot(s, key)?.cursor?.sequence).toBe(3);
      // And another listing (another server or branch) always replaces it.
      s.write(() => writeSnapshot(s, { ...at(1, 3100), cursor: { sequence: 1, basis: `${basis}2` } }, 0));
      expect(readSnapshot(s, key)?.cursor).toEqual({ sequence: 1, basis: `${basis}2` });
    });
  });

  it('a snapshot patched from a tool answer is due for a fetch but not stale, until a fetch that began after the patch', () => {
    const project = demoProject();
    cleanups.push(project.cleanup);
    withHomeCache(project.home, (s) => {
      s.write(() =>
        writeSnapshot(s, { ...key, fetchedAt: 1000, source: 'embedded', tasks: [task('T-1')], next: null }),
      );
      expect(patchSnapshotTasks(s, key, [{ id: 'T-1', status: 'in_progress' }], 2000)).toEqual({
        patched: ['T-1'],
        unknown: [],
      });
      expect(readSnapshotBrief(s, { sourceKey: 'embedded', project: 'demo', branch: 'main' })).toMatchObject({
        stale: false,
        inProgress: { id: 'T-1' },
      });
      expect(listSnapshotsDue(s)).toEqual([key]);
      s.write(() =>
        writeSnapshot(
          s,
          { ...key, fetchedAt: 3000, source: 'embedded', tasks: [task('T-1', { status: 'in_progress' })], next: null },
          2500,
        ),
      );
      expect(listSnapshotsDue(s)).toEqual([]);
    });
  });

  it('a hook asking for a snapshot makes it due without distrusting it; a fetch that began after the request clears it', () => {
    const project = demoProject();
    cleanups.push(project.cleanup);
    withHomeCache(project.home, (s) => {
      requestSnapshotFetch(s, key, 1000);
      expect(readSnapshot(s, { sourceKey: 'embedded', project: 'demo', branch: 'main' })).toMatchObject({
        fetchedAt: 0,
        tasks: [],
      });
      expect(listSnapshotsDue(s)).toEqual([key]);
      s.write(() =>
        writeSnapshot(s, { ...key, fetchedAt: 1500, source: 'embedded', tasks: [task('T-1')], next: null }, 1200),
      );
      expect(listSnapshotsDue(s)).toEqual([]);
      requestSnapshotFetch(s, key, 2000);
      expect(readSnapshotBrief(s, { sourceKey: 'embedded', project: 'demo', branch: 'main' })).toMatchObject({
        fetchedAt: 1500,
        stale: false,
      });
    });
  });

  it('lists the snapshots due oldest first, whether asked for, patched or marked stale', () => {
    const project = demoProject();
    cleanups.push(project.cleanup);
    withHomeCache(project.home, (s) => {
      const patched = { ...key, branch: 'patched' };
      const stale = { ...key, branch: 'stale' };
      for (const k of [patched, stale])
        s.write(() => writeSnapshot(s, { ...k, fetchedAt: 500, source: 'embedded', tasks: [task('T-1')], next: null }));
      markSnapshotStale(s, stale, 3000);
      requestSnapshotFetch(s, key, 2000);
      patchSnapshotTasks(s, patched, [{ id: 'T-1', status: 'done' }], 1000);
      // Asked for after the patch, before the mark: the patch's older time counts.
      requestSnapshotFetch(s, patched, 2500);
      expect(listSnapshotsDue(s)).toEqual([patched, key, stale]);
    });
  });

  it('one holder at a time; an expired lease is free; only the holder releases it', () => {
    const project = demoProject();
    cleanups.push(project.cleanup);
    withHomeCache(project.home, (s) => {
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
