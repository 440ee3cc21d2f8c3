// A delete on the built-in store is undone by that task alone: `tasks undelete` brings back its row and notes and the
// tasks that depended on it, and keeps every change made since; each delete keeps a small file, and only so many.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openTaskDb } from '../../src/server/index.js';
import { pruneDeleted } from '../../src/sources/embedded/deleted-tasks.js';
import { jsonOut, runCli, type CliRun } from '../helpers/cli.js';
import { makeRepo, type TempRepo } from '../helpers/git.js';
import { hookEnv, tempHome } from '../helpers/hooks.js';

let repo: TempRepo;
let home: { home: string; cleanup(): void };
beforeEach(() => {
  repo = makeRepo({ name: 'shop', branch: 'main' });
  home = tempHome();
});
afterEach(() => {
  repo.cleanup();
  home.cleanup();
});

const cli = (...args: string[]): Promise<CliRun> =>
  runCli(args, { cwd: repo.dir, env: { ...hookEnv(home.home), HOME: home.home, NO_COLOR: '1' } });

interface Shown {
  id: string;
  title: string;
  status: string;
  priority: string;
  /** The task's notes, as `tasks show --json` joins them. */
  details?: string;
  dependencies?: string[];
}
const show = async (id: string): Promise<Shown> => jsonOut(await cli('tasks', 'show', id, '--json')) as Shown;
const keptDir = (): string => path.join(home.home, 'backups', 'deleted');

it('brings back the deleted task alone, with its notes and dependents, keeping what changed since', async () => {
  for (const title of ['Fix the cart', 'Write the docs', 'Ship it'])
    expect((await cli('tasks', 'add', title)).code).toBe(0);
  expect((await cli('tasks', 'start', 'TASK-001')).code).toBe(0);
  expect((await cli('tasks', 'note', 'TASK-001', 'the total rounds down')).code).toBe(0);
  const db = openTaskDb(path.join(home.home, 'tasks.db'));
  try {
    db.addDependency({ projectId: (db.getProject('shop') as { id: string }).id, id: 'TASK-003' }, 'TASK-001');
  } finally {
    db.close();
  }
  const before = await show('TASK-001');

  const deleted = await cli('tasks', 'delete', 'TASK-001', '--yes');
  expect(deleted.code, deleted.stderr).toBe(0);
  expect(deleted.stdout).toContain(
    'To bring it back (that task alone, with its notes): taskhooks tasks undelete TASK-001',
  );
  expect((await show('TASK-003')).dependencies ?? []).toEqual([]);
  // Changes after the delete stay.
  expect((await cli('tasks', 'edit', 'TASK-002', '--title', 'Write the README')).code).toBe(0);

  const back = await cli('tasks', 'undelete', 'TASK-001');
  expect(back.code, back.stderr).toBe(0);
  expect(back.stdout).toBe('Brought back TASK-001: Fix the cart (1 note; TASK-003 depend on it again)\n');
  const restored = await show('TASK-001');
  expect(restored).toMatchObject({
    id: 'TASK-001',
    title: 'Fix the cart',
    status: before.status,
    priority: before.priority,
    details: 'the total rounds down',
  });
  expect((await show('TASK-002')).title).toBe('Write the README');
  expect((await show('TASK-003')).dependencies).toEqual(['TASK-001']);

  // Brought back once: nothing is kept of it any more.
  const again = await cli('tasks', 'undelete', 'TASK-001', '--json');
  expect(again.code).toBe(3);
  expect(JSON.parse(again.stdout).error.kind).toBe('not_found');
});

it('keeps a small file per delete, never a copy of the whole store, and only the newest ones', async () => {
  for (let i = 1; i <= 7; i++) expect((await cli('tasks', 'add', `Task ${i}`)).code).toBe(0);
  for (let i = 1; i <= 7; i++) expect((await cli('tasks', 'delete', `TASK-00${i}`, '--yes')).code).toBe(0);
  const backups = readdirSync(path.join(home.home, 'backups')).filter((n) => n.endsWith('.db'));
  expect(backups.filter((n) => n.includes('-delete'))).toEqual([]);
  const kept = readdirSync(keptDir());
  expect(kept).toHaveLength(7);
  for (const f of kept) expect(statSync(path.join(keptDir(), f)).size).toBeLessThan(4096);
  expect(pruneDeleted(home.home, 3)).toHaveLength(4);
  expect(readdirSync(keptDir()).sort()).toEqual(kept.sort().slice(4));
  // The newest stay: TASK-007 comes back, TASK-001 is gone for good.
  expect((await cli('tasks', 'undelete', 'TASK-007')).code).toBe(0);
  expect((await cli('tasks', 'undelete', 'TASK-001')).code).toBe(3);
});
