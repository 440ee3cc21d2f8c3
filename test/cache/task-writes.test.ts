// The one record of a task write: the stale marks, the writer's own snapshot, the news generation and the monitor's
// wake, each made once, and nothing left for a monitor that the writer recorded already.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNewsGeneration } from '../../src/cache/news-generation.js';
import { listProjects } from '../../src/cache/registered-projects.js';
import { listSnapshotsDue, readSnapshot, writeSnapshot, type TaskSnapshot } from '../../src/cache/snapshots.js';
import { recordTaskWrite } from '../../src/cache/task-writes.js';
import { listUnshownAlerts } from '../../src/cache/alerts.js';
import { takeOwnWrites } from '../../src/cache/own-writes.js';
import { homeFiles } from '../../src/home/files.js';
import { cacheEachTest, recordingLogger } from '../helpers/cache.js';
import { task } from '../helpers/hooks.js';

const each = cacheEachTest();

const snap = (branch: string, titles: string[], fetchedAt = 1000): TaskSnapshot => ({
  sourceKey: 'embedded',
  project: 'shop',
  branch,
  fetchedAt,
  source: 'built-in store',
  tasks: titles.map((t, i) => task(`TASK-00${i + 1}`, { title: t })),
  next: null,
});

const refreshFile = (home: string): string => path.join(homeFiles(home).signals, 'refresh');
const woken = (home: string): boolean => existsSync(refreshFile(home));

describe('recordTaskWrite', () => {
  it("records the writer's snapshot in place of its stale mark, so a woken monitor fetches only the rest", () => {
    const cache = each.open();
    writeSnapshot(cache, snap('main', ['first']));
    writeSnapshot(cache, snap('feature', ['other']));
    const before = readNewsGeneration(each.home);
    const logged: string[] = [];
    const at = Date.now();
    const record = recordTaskWrite(cache, {
      home: each.home,
      log: recordingLogger(logged),
      projects: ['shop'],
      at,
      fresh: [{ snapshot: snap('main', ['first', 'second'], at), startedAt: at }],
      why: 'a task changed',
    });
    expect(record).toEqual({ marked: 2, recorded: 1, woke: true });
    // The hook's next read: the new task, trusted as it is.
    const main = readSnapshot(cache, { sourceKey: 'embedded', project: 'shop', branch: 'main' });
    expect(main?.tasks.map((t) => t.title)).toEqual(['first', 'second']);
    expect(main?.staleSince).toBeUndefined();
    // The monitor is left the other branch alone: the one the writer recorded is not fetched again.
    expect(listSnapshotsDue(cache)).toEqual([{ sourceKey: 'embedded', project: 'shop', branch: 'feature' }]);
    expect(woken(each.home)).toBe(true);
    expect(readNewsGeneration(each.home)).not.toBe(before);
  });

  it('wakes no monitor when the writer recorded all there was', () => {
    const cache = each.open();
    writeSnapshot(cache, snap('main', ['first']));
    const at = Date.now();
    const record = recordTaskWrite(cache, {
      home: each.home,
      log: recordingLogger([]),
      projects: ['shop'],
      at,
      fresh: [{ snapshot: snap('main', ['first', 'second'], at), startedAt: at }],
      why: 'a task changed',
    });
    expect(record).toEqual({ marked: 1, recorded: 1, woke: false });
    expect(listSnapshotsDue(cache)).toEqual([]);
    expect(woken(each.home)).toBe(false);
  });

  it('leaves the scope to the monitor when the writer read nothing again, and registers a new project once', () => {
    const cache = each.open();
    writeSnapshot(cache, snap('main', ['first']));
    const register = { root: '/work/shop', name: 'shop', sourceKey: 'embedded', registeredBy: 'cli' };
    const write = { home: each.home, log: recordingLogger([]), projects: ['shop'], register, why: 'a task changed' };
    expect(recordTaskWrite(cache, write)).toEqual({ marked: 1, recorded: 0, woke: true });
    expect(listSnapshotsDue(cache)).toEqual([{ sourceKey: 'embedded', project: 'shop', branch: 'main' }]);
    expect(listProjects(cache).map((p) => [p.root, p.registeredBy])).toEqual([['/work/shop', 'cli']]);
    expect(readFileSync(refreshFile(each.home), 'utf8')).toMatch(/^\d+\n$/);
  });

  it("raises the fresh scopes' alerts and notes the writing session's own tasks in the same record", () => {
    const cache = each.open();
    writeSnapshot(cache, snap('main', ['first']));
    const at = Date.now();
    const alert = {
      sourceKey: 'embedded',
      project: 'shop',
      kind: 'new_priority_task' as const,
      taskId: 'TASK-002',
      message: 'New high task: second (id TASK-002)',
    };
    recordTaskWrite(cache, {
      home: each.home,
      log: recordingLogger([]),
      projects: ['shop'],
      at,
      fresh: [{ snapshot: snap('main', ['first', 'second'], at), startedAt: at, alerts: [alert] }],
      by: { sessionId: 'sess-1', writes: [{ project: 'shop', id: 'TASK-002', at }] },
      why: 'a task changed',
    });
    expect(listUnshownAlerts(cache, 'embedded', 'shop').map((a) => a.message)).toEqual([alert.message]);
    // Its own write is no news to the session until a snapshot read after it has been looked at.
    expect([...takeOwnWrites(cache, 'sess-1', 'shop', at - 1)]).toEqual(['TASK-002']);
    expect([...takeOwnWrites(cache, 'sess-1', 'shop', at)]).toEqual(['TASK-002']);
    expect([...takeOwnWrites(cache, 'sess-1', 'shop', at)]).toEqual([]);
    expect([...takeOwnWrites(cache, 'sess-2', 'shop', 0)]).toEqual([]);
  });

  it('never throws: a cache that cannot be written is logged, and the monitor still woken', () => {
    const cache = each.open();
    cache.close();
    const logged: string[] = [];
    const write = { home: each.home, log: recordingLogger(logged), projects: ['shop'], why: 'a task changed' };
    expect(recordTaskWrite(cache, write)).toEqual({ marked: 0, recorded: 0, woke: true });
    expect(logged.join('\n')).toContain('the cache could not be told of it');
    expect(woken(each.home)).toBe(true);
  });
});
