// The tracker reader against third-party task-tracking servers (a loopback stand-in, the service cannot run here):
// one without `list_tasks`, or with one of another kind, is read as before, the next task of each status; one whose
// `list_tasks` numbers nothing is read whole every time and given no cursor, as is a list cut short of the project
// (and said so); one whose delta holds a task that does not fit is read whole again.
import { afterEach, describe, expect, it } from 'vitest';
import { readSnapshot } from '../../src/cache/snapshots.js';
import { snapshotFrom } from '../../src/network/index.js';
import type { TaskSource } from '../../src/sources/source.js';
import { deadlineIn } from '../../src/util/deadline.js';
import { recordingLogger } from '../helpers/cache.js';
import type { DeltaRig } from '../helpers/snapshot-delta.js';
import { type RawTask, startTrackerStandin, type TrackerStandin } from '../helpers/tracker-standin.js';
import { tempHome } from './harness/context.js';

const TASKS: RawTask[] = [
  { task_id: 'T-1', title: 'Write the docs', status: 'pending', priority: 'low', created_at: '2026-01-01T00:00:00Z' },
  { task_id: 'T-2', title: 'Fix the outage', status: 'in_progress', priority: 'high' },
  { task_id: 'T-3', title: 'Shipped', status: 'completed', priority: 'high' },
  { task_id: 'T-4', title: 'Wait for legal', status: 'blocked', priority: 'medium' },
  { task_id: 'T-5', title: 'Review the API', status: 'review', priority: 'medium' },
  { task_id: 'T-6', title: 'Plan the sprint', status: 'pending', priority: 'high', created_at: '2026-01-02T00:00:00Z' },
];

let standin: TrackerStandin | undefined;
let source: TaskSource | undefined;
const cleanups: Array<() => void> = [];
afterEach(async () => {
  await source?.close();
  await standin?.close();
  for (const c of cleanups.splice(0)) c();
});

/** The tracker reader on the stand-in, with a cache and a logger whose lines tell a delta from a whole read. */
async function open(
  list: 'none' | 'prose' | 'unnumbered' | 'numbered',
): Promise<Pick<DeltaRig, 'cache' | 'log' | 'lines'>> {
  standin = await startTrackerStandin({ list, tasks: TASKS.map((t) => ({ ...t })) });
  const home = tempHome('th-tracker-list-');
  cleanups.push(() => home.close());
  const lines: string[] = [];
  const log = recordingLogger(lines);
  const config = { source: { adapter: 'tracker', servers: [standin.url] }, auth: { apiKey: 'standin-key' } };
  source = home.open(config, home.dir, { log });
  return { cache: home.cache, log, lines };
}

const scope = { projectRoot: '/nonexistent', project: 'demo', branch: 'main' };
const opts = () => ({ deadline: deadlineIn(10_000) });
const snapshotArgs = (rig: Pick<DeltaRig, 'cache' | 'log'>) => ({
  sourceKey: 'tracker-standin',
  ...rig,
  scope,
  ...opts(),
});

describe('the tracker reader on a third-party task-tracking server', () => {
  it('without list_tasks: the next task of each status, said so, and no cursor, as before', async () => {
    await open('none');
    const read = await (source as TaskSource).pending(scope, opts());
    expect(read.tasks.map((t) => t.id)).toEqual(['T-2', 'T-1', 'T-4']);
    expect(read.note).toBe('the task-tracking service lists only the next task of each status');
    expect(read.cursor).toBeUndefined();
    expect(standin?.calls).toEqual(['get_next_task', 'get_next_task', 'get_next_task']);
  });

  it('with a list_tasks of another kind: the next task of each status, and the note says why', async () => {
    await open('prose');
    const read = await (source as TaskSource).pending(scope, opts());
    expect(read.tasks.map((t) => t.id)).toEqual(['T-2', 'T-1', 'T-4']);
    expect(read.note).toMatch(/^the task-tracking service lists only the next task of each status \(its list_tasks /);
    expect(read.note).toContain('answer did not fit: Task server answered list_tasks with text that is not JSON');
    expect(read.cursor).toBeUndefined();
  });

  it('with a list_tasks that numbers nothing: the whole list every time, and no cursor', async () => {
    const rig = await open('unnumbered');
    const read = await (source as TaskSource).pending(scope, opts());
    // Every open task, in the context's order: in progress, todo by priority, review, blocked.
    expect(read.tasks.map((t) => t.id)).toEqual(['T-2', 'T-6', 'T-1', 'T-5', 'T-4']);
    expect(read).not.toHaveProperty('note');
    expect(read.cursor).toBeUndefined();
    for (let i = 0; i < 2; i++) await snapshotFrom(source as TaskSource, snapshotArgs(rig));
    const cached = readSnapshot(rig.cache, { sourceKey: 'tracker-standin', project: 'demo', branch: 'main' });
    expect(cached?.tasks.map((t) => t.id)).toEqual(['T-2', 'T-6', 'T-1', 'T-5', 'T-4']);
    expect(cached?.cursor).toBeUndefined();
    expect(rig.lines).not.toContain('delta applied');
    expect(standin?.calls.filter((c) => c.startsWith('list_tasks'))).toEqual([
      'list_tasks',
      'list_tasks',
      'list_tasks',
    ]);
  });

  it('with a delta holding a task that does not fit: reads the whole list instead, and keeps its cursor', async () => {
    const rig = await open('numbered');
    const first = await snapshotFrom(source as TaskSource, snapshotArgs(rig));
    expect(first.cursor?.sequence).toBe(1);
    const shown = standin as TrackerStandin;
    shown.sequence = 2;
    shown.changed = [{ task_id: 'T-1', title: 'Write the docs', status: 'someday' }];
    shown.tasks = shown.tasks.filter((t) => t.task_id !== 'T-2');
    const answer = await (source as TaskSource).pendingSince?.(
      scope,
      first.cursor ?? { sequence: 0, basis: '' },
      opts(),
    );
    expect(answer).toEqual({ full: true, why: expect.stringMatching(/^a changed task did not fit: item 0: status: /) });
    const lines = rig.lines.length;
    const after = await snapshotFrom(source as TaskSource, snapshotArgs(rig));
    expect(rig.lines.slice(lines)).toEqual(['reading the whole task list: no delta']);
    expect(after.tasks.map((t) => t.id)).toEqual(['T-6', 'T-1', 'T-5', 'T-4']);
    expect(after.cursor?.sequence).toBe(2);
  });

  it('with a numbered list cut short of the project: says so, and gives no cursor', async () => {
    await open('numbered');
    (standin as TrackerStandin).total = 1200;
    const read = await (source as TaskSource).pending(scope, opts());
    expect(read.tasks.map((t) => t.id)).toEqual(['T-2', 'T-6', 'T-1', 'T-5', 'T-4']);
    expect(read.note).toBe("the server listed 6 of the project's 1200 tasks: open ones past them are not shown");
    expect(read.cursor).toBeUndefined();
  });
});
