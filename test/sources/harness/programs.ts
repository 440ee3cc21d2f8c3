// The sources that are programs: the real Backlog.md and Task Master (test/peers.json), each in a temporary
// project of its own, seeded the way their users' projects are (Backlog.md's CLI, Task Master's tasks.json).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeRepo } from '../../helpers/git.js';
import { peer } from '../../helpers/peers.js';
import { tempHome } from './context.js';
import type { Harness, SeedTask } from './types.js';

const BACKLOG_STATUS = { todo: 'To Do', in_progress: 'In Progress', done: 'Done' } as const;

export const backlog: Harness = {
  name: 'backlog',
  timeoutMs: 60_000,
  async open(tasks) {
    const { entry } = peer('backlog.md');
    const repo = makeRepo({ name: 'demo' });
    const run = (...args: string[]) =>
      execFileSync(process.execPath, [entry, ...args], {
        cwd: repo.dir,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 60_000,
      });
    run('init', 'demo', '--defaults', '--integration-mode', 'none', '--auto-open-browser', 'false');
    for (const t of tasks)
      run(
        'task',
        'create',
        t.title,
        '-s',
        BACKLOG_STATUS[t.status],
        '--priority',
        t.priority,
        '-d',
        t.description ?? '',
      );
    const home = tempHome('th-conf-backlog-');
    const config = { source: { adapter: 'backlog', command: process.execPath, args: [entry], timeoutMs: 60_000 } };
    const source = home.open(config, repo.dir);
    return {
      source,
      scope: { projectRoot: repo.dir, project: 'demo', branch: 'main' },
      ids: tasks.map((_, i) => `TASK-${i + 1}`),
      close: async () => {
        await source.close();
        home.close();
        repo.cleanup();
      },
    };
  },
  failing:
    'a program on this machine: its failures (not installed, timed out, an answer of an unknown schema) are tested in backlog.test.ts',
  badItem: 'Backlog.md writes every task file itself and its JSON holds no task it cannot read',
};

const TASKMASTER_STATUS = { todo: 'pending', in_progress: 'in-progress', done: 'done' } as const;

/** Task Master's tasks.json holding the seeded tasks. */
function taskmasterFile(dir: string, tasks: SeedTask[]): void {
  const list = tasks.map((t, i) => ({
    id: i + 1,
    title: t.title,
    // Task Master refuses a file with a task that has no description.
    description: t.description ?? t.title,
    status: TASKMASTER_STATUS[t.status],
    priority: t.priority,
    dependencies: [],
    details: '',
    testStrategy: '',
    subtasks: [],
  }));
  mkdirSync(path.join(dir, '.taskmaster', 'tasks'), { recursive: true });
  writeFileSync(
    path.join(dir, '.taskmaster', 'tasks', 'tasks.json'),
    JSON.stringify({ master: { tasks: list, metadata: { created: new Date().toISOString(), description: 'test' } } }),
  );
}

async function openTaskmaster(tasks: SeedTask[]) {
  const home = tempHome('th-conf-taskmaster-');
  const dir = path.join(home.dir, 'demo');
  taskmasterFile(dir, tasks);
  const config = {
    source: {
      adapter: 'taskmaster',
      command: process.execPath,
      args: [peer('task-master-ai').entry],
      timeoutMs: 90_000,
    },
  };
  const source = home.open(config, dir);
  return {
    source,
    scope: { projectRoot: dir, project: 'demo', branch: 'main' },
    ids: tasks.map((_, i) => String(i + 1)),
    close: async () => {
      await source.close();
      home.close();
    },
  };
}

export const taskmaster: Harness = {
  name: 'taskmaster',
  timeoutMs: 90_000,
  open: (tasks) => openTaskmaster(tasks),
  failing:
    'a program over stdio: its failures (not installed, timed out) are tested in test/sources/taskmaster.test.ts',
  badItem:
    'Task Master checks its own tasks.json and refuses the whole file over one bad task (a missing description, an unknown status): its own error, said as such',
};
