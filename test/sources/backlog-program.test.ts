// Backlog.md as pinned in test/peers.json runs offline: its native binary starts, and a project it initialises in a
// temp git repository takes a task and lists it.
import { execFileSync } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { makeRepo } from '../helpers/git.js';
import { peer } from '../helpers/peers.js';

const backlog = peer('backlog.md');
const repo = makeRepo({ name: 'backlog-smoke', commits: ['initial commit'] });
afterAll(() => repo.cleanup());

const run = (...args: string[]): string =>
  execFileSync(process.execPath, [backlog.entry, ...args], {
    cwd: repo.dir,
    env: { ...process.env, NO_COLOR: '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
  });

it('reports the pinned version', () => {
  expect(run('--version').trim()).toBe(backlog.version);
});

it('initialises a project, creates a task and lists it', () => {
  run('init', 'smoke', '--defaults', '--integration-mode', 'none', '--auto-open-browser', 'false');
  expect(run('task', 'create', 'Wire the importer', '--priority', 'high')).toContain('Created task TASK-1');
  expect(run('task', 'list', '--plain')).toMatch(/\[HIGH\] TASK-1 - Wire the importer/);
});
