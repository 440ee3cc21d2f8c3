import { describe, expect, it } from 'vitest';
import {
  patchSnapshotTasks,
  readSnapshot,
  readSnapshotBrief,
  recordSnapshotError,
  writeSnapshot,
  type TaskSnapshot,
} from '../../src/cache/snapshots.js';
import { snapshotCount, T0 } from '../helpers/cache.js';
import type { Task } from '../../src/tasks/task.js';

import {
  listSnapshotsDue,
  markProjectStale,
  markSnapshotStale,
  requestSnapshotFetch,
} from '../../src/cache/snapshots.js';
import { cacheEachTest } from '../helpers/cache.js';

const { open } = cacheEachTest();

const task = (id: string, over: Partial<Task> = {}): Task => ({
  id,
  title: `Task ${id}`,
  description: 'desc',
  status: 'todo',
  priority: 'high',
  assignees: [],
  labels: ['x'],
  dependencies: [],
  ...over,
});

function snapshot(over: Partial<TaskSnapshot> = {}): TaskSnapshot {
  return {
    sourceKey: 'http://127.0.0.1:8000/mcp',
    project: 'proj',
    branch: 'main',
    fetchedAt: T0,
    source: 'http://127.0.0.1:8001/mcp',
    tasks: [task('T-1'), task('T-2', { status: 'in_progress', branch: 'b-1', createdAt: '2024-01-01' })],
    next: task('T-2'),
    ...over,
  };
}

describe('snapshots', () => {
  it('snapshots: per source, project and branch; a failed refresh keeps the tasks and the next write clears the error', () => {
    const s = open();
    s.write(() => {
      writeSnapshot(s, snapshot());
      writeSnapshot(s, snapshot({ branch: 'dev', tasks: [], next: null, note: 'branch not registered' }));
    });
    expect(readSnapshot(s, { sourceKey: 'http://127.0.0.1:8000/mcp', project: 'proj', branch: 'main' })).toEqual(
      snapshot(),
    );
    expect(readSnapshot(s, { sourceKey: 'http://127.0.0.1:8000/mcp', project: 'proj', branch: 'dev' })?.note).toBe(
      'branch not registered',
    );
    expect(readSnapshot(s, { sourceKey: 'other', project: 'proj', branch: 'main' })).toBeUndefined();
    s.write(() =>
      recordSnapshotError(
        s,
        { sourceKey: 'http://127.0.0.1:8000/mcp', project: 'proj', branch: 'main' },
        'connection refused',
        T0 + 5,
      ),
    );
    const failed = readSnapshot(s, { sourceKey: 'http://127.0.0.1:8000/mcp', project: 'proj', branch: 'main' });
    expect(failed).toMatchObject({ lastError: 'connection refused', lastErrorAt: T0 + 5, tasks: snapshot().tasks });
    s.write(() => writeSnapshot(s, snapshot({ fetchedAt: T0 + 10 })));
    expect(
      readSnapshot(s, { sourceKey: 'http://127.0.0.1:8000/mcp', project: 'proj', branch: 'main' })?.lastError,
    ).toBeUndefined();
    expect(snapshotCount(s, 'http://127.0.0.1:8000/mcp')).toBe(2);
    s.write(() => recordSnapshotError(s, { sourceKey: 'new', project: 'p', branch: '' }, 'timeout', T0));
    expect(readSnapshot(s, { sourceKey: 'new', project: 'p', branch: '' })).toMatchObject({
      tasks: [],
      next: null,
      fetchedAt: 0,
      lastError: 'timeout',
    });
  });

  it('snapshot briefs: the task in progress and the next task, as the full snapshot gives them, also for older rows', () => {
    const s = open();
    const urgent = task('T-3', { status: 'in_progress', priority: 'critical' });
    s.write(() => writeSnapshot(s, snapshot({ tasks: [...snapshot().tasks, urgent], next: null })));
    // In progress, most urgent first; with no next from the server, the first pending task in reading order.
    expect(readSnapshotBrief(s, { sourceKey: 'http://127.0.0.1:8000/mcp', project: 'proj', branch: 'main' })).toEqual({
      fetchedAt: T0,
      stale: false,
      inProgress: urgent,
      next: urgent,
    });
    s.write(() => writeSnapshot(s, snapshot()));
    expect(readSnapshotBrief(s, { sourceKey: 'http://127.0.0.1:8000/mcp', project: 'proj', branch: 'main' })).toEqual({
      fetchedAt: T0,
      stale: false,
      inProgress: snapshot().tasks[1],
      next: snapshot().next,
    });
    // A row from before schema version 3 has no brief: it is derived from the tasks.
    s.db.prepare('UPDATE task_snapshots SET brief = NULL').run();
    expect(readSnapshotBrief(s, { sourceKey: 'http://127.0.0.1:8000/mcp', project: 'proj', branch: 'main' })).toEqual({
      fetchedAt: T0,
      stale: false,
      inProgress: snapshot().tasks[1],
      next: snapshot().next,
    });
    s.write(() => writeSnapshot(s, snapshot({ tasks: [], next: null })));
    expect(readSnapshotBrief(s, { sourceKey: 'http://127.0.0.1:8000/mcp', project: 'proj', branch: 'main' })).toEqual({
      fetchedAt: T0,
      stale: false,
    });
    expect(readSnapshotBrief(s, { sourceKey: 'none', project: 'proj', branch: 'main' })).toBeUndefined();
  });

  it('snapshot patches: a status change, a closed or deleted task, in one write with the brief; unknown ids mark it stale', () => {
    const s = open();
    const key = { sourceKey: 'http://127.0.0.1:8000/mcp', project: 'proj', branch: 'main' };
    const brief = () => readSnapshotBrief(s, key);
    s.write(() =>
      writeSnapshot(
        s,
        snapshot({ tasks: [task('T-1'), task('T-2', { status: 'in_progress' }), task('T-3')], next: task('T-3') }),
      ),
    );

    // T-1 starts (with the new title the answer gave), T-2 is done: the brief names T-1 in progress.
    expect(
      patchSnapshotTasks(
        s,
        key,
        [
          { id: 'T-1', status: 'in_progress', title: 'Renamed' },
          { id: 'T-2', status: 'done' },
        ],
        T0 + 1,
      ),
    ).toEqual({
      patched: ['T-1', 'T-2'],
      unknown: [],
    });
    const after = readSnapshot(s, key);
    expect(after?.tasks.map((t) => [t.id, t.status, t.title])).toEqual([
      ['T-1', 'in_progress', 'Renamed'],
      ['T-3', 'todo', 'Task T-3'],
    ]);
    expect(after?.fetchedAt).toBe(T0);
    expect(after?.staleSince).toBeUndefined();
    expect(brief()).toMatchObject({ stale: false, inProgress: { id: 'T-1', title: 'Renamed' }, next: { id: 'T-3' } });

    // The server's next task deleted: the brief falls back to the most urgent pending task.
    expect(patchSnapshotTasks(s, key, [{ id: 'T-3', removed: true }], T0 + 2)).toEqual({
      patched: ['T-3'],
      unknown: [],
    });
    expect(readSnapshot(s, key)?.next).toBeNull();
    expect(brief()?.next?.id).toBe('T-1');

    // An id it does not hold: what changed is unknown, so the snapshot is marked stale; known ids are still applied.
    expect(
      patchSnapshotTasks(
        s,
        key,
        [
          { id: 'T-9', status: 'todo' },
          { id: 'T-1', status: 'review', priority: 'low' },
        ],
        T0 + 3,
      ),
    ).toEqual({
      patched: ['T-1'],
      unknown: ['T-9'],
    });
    expect(readSnapshot(s, key)).toMatchObject({
      staleSince: T0 + 3,
      tasks: [{ id: 'T-1', status: 'review', priority: 'low' }],
    });

    // Nothing fetched yet (an error-only row or none at all): nothing to patch, and a row there is marked stale.
    const other = { ...key, branch: 'dev' };
    s.write(() => recordSnapshotError(s, other, 'timeout', T0));
    expect(patchSnapshotTasks(s, other, [{ id: 'T-1', status: 'done' }], T0 + 4)).toEqual({
      patched: [],
      unknown: ['T-1'],
    });
    expect(readSnapshot(s, other)).toMatchObject({ tasks: [], staleSince: T0 + 4 });
    expect(patchSnapshotTasks(s, { ...key, project: 'none' }, [{ id: 'T-1', status: 'done' }])).toEqual({
      patched: [],
      unknown: ['T-1'],
    });
    expect(readSnapshot(s, { sourceKey: key.sourceKey, project: 'none', branch: 'main' })).toBeUndefined();
  });
});

// What one fetch for many sessions stands on: a stale mark is cleared only by a fetch that began after it.
describe('stale marks', () => {
  const key = { sourceKey: 'embedded', project: 'demo', branch: 'main' };

  it('a stale mark survives a fetch that began before it, and is cleared by one that began after', () => {
    const s = open();
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

  it('a second change before the fetch lands keeps the mark: a fetch that began between the two does not clear it', () => {
    const s = open();
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

  it('a fetch that began before a later listing of the same server was written does not write the older one back', () => {
    const s = open();
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

  it('a snapshot patched from a tool answer is due for a fetch but not stale, until a fetch that began after the patch', () => {
    const s = open();
    s.write(() => writeSnapshot(s, { ...key, fetchedAt: 1000, source: 'embedded', tasks: [task('T-1')], next: null }));
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

  it('a hook asking for a snapshot makes it due without distrusting it; a fetch that began after the request clears it', () => {
    const s = open();
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

  it('lists the snapshots due oldest first, whether asked for, patched or marked stale', () => {
    const s = open();
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
