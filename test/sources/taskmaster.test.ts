// The real task-master-ai (test/peers.json) over stdio on a temp project: one connection for the whole file (it is
// slow to start).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openCache, type Cache } from '../../src/cache/cache.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { silentLogger } from '../helpers/cache.js';
import { openSource } from '../../src/sources/open.js';
import type { TaskSource } from '../../src/sources/source.js';
import { taskSourceFailure } from '../helpers/errors.js';
import { deadlineIn, type Deadline } from '../../src/util/deadline.js';
import { sourceOf } from '../helpers/settings.js';
import { peer } from '../helpers/peers.js';

let dir: string;
let cache: Cache;
let source: TaskSource;
// Each call gets its own deadline: the first one connects, which is slow.
const opts = (): { deadline: Deadline } => ({ deadline: deadlineIn(90_000) });

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'th-taskmaster-'));
  mkdirSync(path.join(dir, '.taskmaster', 'tasks'), { recursive: true });
  const task = (id: number, title: string, status: string, priority: string, dependencies: number[] = []) => ({
    id,
    title,
    description: `${title} in detail`,
    status,
    priority,
    dependencies,
    details: '',
    testStrategy: '',
    subtasks: [],
  });
  const tasks = [
    task(1, 'Set up repo', 'done', 'high'),
    task(2, 'Write parser', 'pending', 'high', [1]),
    task(3, 'Write docs', 'deferred', 'low'),
    task(4, 'Old idea', 'cancelled', 'low'),
  ];
  writeFileSync(
    path.join(dir, '.taskmaster', 'tasks', 'tasks.json'),
    JSON.stringify({ master: { tasks, metadata: { created: new Date().toISOString(), description: 'test' } } }),
  );
  cache = openCache({ home: dir });
  const config = ConfigSchema.parse({
    source: {
      adapter: 'taskmaster',
      timeoutMs: 90_000,
      command: process.execPath,
      args: [peer('task-master-ai').entry],
    },
  });
  source = openSource({ source: sourceOf(config), home: dir, cache, log: silentLogger(), projectRoot: dir });
});

afterAll(async () => {
  await source?.close();
  cache?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const scope = () => ({ projectRoot: dir, project: 'tm', branch: 'main' });

it('lists open tasks with statuses mapped (deferred → blocked) and ids as strings', async () => {
  const { tasks } = await source.pending(scope(), opts());
  expect(tasks.map((t) => [t.id, t.status])).toEqual([
    ['2', 'todo'],
    ['3', 'blocked'],
  ]);
  expect(tasks[0]?.dependencies).toEqual(['1']);
});

it('reads the next task (numeric id in the answer) and one task by id', async () => {
  const next = await source.next(scope(), opts());
  expect(next).toMatchObject({ id: '2', title: 'Write parser', status: 'todo', priority: 'high' });
  expect((await source.get('2', opts())).title).toBe('Write parser');
  const err = await taskSourceFailure(source.get('99', opts()));
  expect(err.kind).toBe('not_found');
  expect(err.message).toBe('Task not found: 99');
});

it('sets a status through set_task_status and writes it to tasks.json', async () => {
  const started = await source.setStatus('2', 'in_progress', opts());
  expect(started.status).toBe('in_progress');
  const file = JSON.parse(readFileSync(path.join(dir, '.taskmaster', 'tasks', 'tasks.json'), 'utf8')) as {
    master: { tasks: Array<{ id: number | string; status: string }> };
  };
  expect(file.master.tasks.find((t) => String(t.id) === '2')?.status).toBe('in-progress');
});
