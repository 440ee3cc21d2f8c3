// An alert is news about a task: once the task is finished, cancelled, deleted or no longer blocked, no context tells
// it. The built monitor raises "New critical task", a preview shows it, `tasks done` runs, and the next SessionStart
// (the built hook) and preview hold no alert; the cache's rules for each way a task stops being news, beside it.
import { afterEach, describe, expect, it } from 'vitest';
import { addAlert, listUnshownAlerts, takeUnshownAlerts, type AlertKind } from '../../src/cache/alerts.js';
import { openCache, type Cache } from '../../src/cache/cache.js';
import { writeSnapshot } from '../../src/cache/snapshots.js';
import { recordTaskWrite } from '../../src/cache/task-writes.js';
import { openTaskDb } from '../../src/store/index.js';
import { silentLogger } from '../helpers/cache.js';
import path from 'node:path';
import type { Task } from '../../src/tasks/task.js';
import { makeRepo } from '../helpers/git.js';
import { runHookHere, sessionStartInput, task, tempHome, unmarked, withHomeCache } from '../helpers/hooks.js';
import { perTest, waitFor } from '../monitor/helpers.js';

const each = perTest();

describe('a task alert against the task as it is now', () => {
  const caches: Cache[] = [];
  afterEach(() => {
    for (const c of caches.splice(0)) c.close();
  });
  function cacheWith(kind: AlertKind, tasks: Task[] | undefined): Cache {
    const t = tempHome();
    each.undo(t.cleanup);
    const cache = openCache({ home: t.home });
    caches.push(cache);
    cache.write(() => {
      if (tasks)
        writeSnapshot(cache, {
          sourceKey: 'src',
          project: 'shop',
          branch: 'main',
          fetchedAt: 1,
          source: 'src',
          tasks,
          next: null,
        });
      addAlert(cache, { sourceKey: 'src', project: 'shop', kind, taskId: 'T-1', message: 'about T-1' });
    });
    return cache;
  }
  const ids = (cache: Cache): string[] => listUnshownAlerts(cache, 'src', 'shop').map((a) => a.taskId);

  it('tells a new task while it is open, in any snapshot of its project', () => {
    expect(ids(cacheWith('new_priority_task', [task('T-1', { priority: 'critical' })]))).toEqual(['T-1']);
  });

  it('drops a new task that was finished, cancelled or deleted since', () => {
    expect(ids(cacheWith('new_priority_task', [task('T-1', { status: 'done' })]))).toEqual([]);
    expect(ids(cacheWith('new_priority_task', [task('T-1', { status: 'cancelled' })]))).toEqual([]);
    expect(ids(cacheWith('new_priority_task', [task('T-2')]))).toEqual([]);
  });

  it('tells a blocked task only while it is still blocked', () => {
    expect(ids(cacheWith('task_blocked', [task('T-1', { status: 'blocked' })]))).toEqual(['T-1']);
    expect(ids(cacheWith('task_blocked', [task('T-1', { status: 'in_progress' })]))).toEqual([]);
  });

  it('keeps every alert where no snapshot says how the task stands', () => {
    expect(ids(cacheWith('new_priority_task', undefined))).toEqual(['T-1']);
  });

  it('marks an alert that is no longer news shown, so it is never told later', () => {
    const cache = cacheWith('new_priority_task', [task('T-2')]);
    expect(takeUnshownAlerts(cache, 'src', 'shop')).toEqual([]);
    writeSnapshot(cache, {
      sourceKey: 'src',
      project: 'shop',
      branch: 'main',
      fetchedAt: 2,
      source: 'src',
      tasks: [task('T-1')],
      next: null,
    });
    expect(ids(cache)).toEqual([]);
  });
});

it('the monitor\'s "New critical task" is gone from the context once the task is done', async () => {
  const m = each.home({});
  const repo = makeRepo({ name: 'shop', branch: 'main', commits: ['initial'] });
  each.undo(repo.cleanup);
  m.run();
  await waitFor('the monitor to serve the embedded store', () => m.info()?.storeServerUrl, 60_000);
  // The first session registers the project: the monitor's first snapshot of it, which raises nothing.
  expect((await runHookHere('session-start', sessionStartInput(repo.dir, 'first'), { home: m.home })).code).toBe(0);
  // The person's own task is no news to them; one someone else adds (here straight into the store) is.
  const added = m.cli(['tasks', 'add', 'My own', '--priority', 'high'], repo.dir);
  expect(added, added.stderr).toMatchObject({ code: 0, stdout: 'Added TASK-001 (every branch): My own\n' });
  const db = openTaskDb(path.join(m.home, 'tasks.db'), { home: m.home });
  try {
    const project = db.ensureProject('shop');
    db.createTasks([
      {
        id: 'TASK-900',
        title: 'Fix login',
        priority: 'critical',
        projectId: project.id,
        gitBranchId: db.ensureBranch(project.id, 'main').id,
      },
    ]);
  } finally {
    db.close();
  }
  withHomeCache(m.home, (c) =>
    recordTaskWrite(c, { projects: ['shop'], home: m.home, log: silentLogger(), why: 'a test wrote the store' }),
  );
  const alerted = () => withHomeCache(m.home, (c) => listUnshownAlerts(c, 'embedded', 'shop').map((a) => a.taskId));
  await waitFor('the monitor to raise the alert', () => alerted().length > 0, 60_000);
  expect(alerted()).toEqual(['TASK-900']);
  // The alert is raised, and the context tells the task as the one at hand, not twice over as an alert too.
  const before = m.cli(['context'], repo.dir).stdout;
  expect(before).toContain('TASK-900 "Fix login"');
  expect(before).not.toContain('New critical task');

  expect(m.cli(['tasks', 'done', 'TASK-900'], repo.dir)).toMatchObject({ code: 0 });
  const preview = m.cli(['context'], repo.dir).stdout;
  const next = await runHookHere('session-start', sessionStartInput(repo.dir, 'second'), { home: m.home });
  const told = unmarked(next.output?.hookSpecificOutput.additionalContext ?? '');
  expect(told).toContain('project shop, branch main');
  for (const text of [preview, told]) {
    expect(text).not.toContain('Task changes');
    expect(text).not.toContain('Fix login');
  }
}, 300_000);
