// The board's add and edit against a real task server: the plain fields a person meets (src/tasks/fields.ts), sent
// as the forms send them, reach the store, and the board lists them back; an input left empty sets nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/cache.js';
import { board } from '../../src/dashboard/board.js';
import { boardTasks } from '../../src/dashboard/board-tasks.js';
import { ON_TASK } from '../../src/tasks/fields.js';
import { silentLogger } from '../helpers/cache.js';
import { makeRepo } from '../helpers/git.js';
import { hookEnv, tempHome } from '../helpers/hooks.js';
import { startReferenceServer } from '../helpers/reference-server.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A value of the field's kind the store keeps as it is. */
const sample = (kind: string): string => (kind === 'date' ? '2026-12-01' : 'two days');

describe('the board’s add form', () => {
  it('sets every declared field a person meets, and leaves an empty input unset', async () => {
    const ref = await startReferenceServer();
    cleanups.push(() => ref.close());
    const { home, cleanup } = tempHome();
    cleanups.push(cleanup);
    const repo = makeRepo({ name: 'shop', branch: 'main' });
    cleanups.push(repo.cleanup);
    const cache = openCache({ home });
    cleanups.push(() => cache.close());
    const env = hookEnv(home, { MCP_SERVER_URL: ref.url, MCP_API_TOKEN: ref.token });
    const board = boardTasks({ cache, log: silentLogger(), env, home });
    const project = { name: 'shop', root: repo.dir };

    // An empty declaration would leave the checks below nothing to check.
    expect(ON_TASK.length).toBeGreaterThan(0);
    const values = Object.fromEntries(ON_TASK.map(({ name, spec }) => [name, sample(spec.kind)]));
    const empty = Object.fromEntries(ON_TASK.map(({ name }) => [name, '']));
    await board.act(project, { action: 'add', title: 'With fields', ...values });
    await board.act(project, { action: 'add', title: 'Without', ...empty });

    const listed = await board.list(project);
    const withFields = listed.find((t) => t.title === 'With fields');
    const without = listed.find((t) => t.title === 'Without');
    expect(without).toBeDefined();
    for (const { name } of ON_TASK) {
      expect(withFields?.[name]).toBe(values[name]);
      expect(without?.[name]).toBeUndefined();
    }
  });

  it('takes labels as a person types them, comma-separated, and refuses a bad day in the CLI’s words', async () => {
    const ref = await startReferenceServer();
    cleanups.push(() => ref.close());
    const { home, cleanup } = tempHome();
    cleanups.push(cleanup);
    const repo = makeRepo({ name: 'shop', branch: 'main' });
    cleanups.push(repo.cleanup);
    const cache = openCache({ home });
    cleanups.push(() => cache.close());
    const env = hookEnv(home, { MCP_SERVER_URL: ref.url, MCP_API_TOKEN: ref.token });
    const tasks = boardTasks({ cache, log: silentLogger(), env, home });
    const project = { name: 'shop', root: repo.dir };

    await tasks.act(project, { action: 'add', title: 'Labelled', labels: ' auth, ui ,' });
    expect((await tasks.list(project)).find((t) => t.title === 'Labelled')?.labels).toEqual(['auth', 'ui']);
    await expect(tasks.act(project, { action: 'add', title: 'Later', dueDate: '2026-02-30' })).rejects.toThrow(
      'due "2026-02-30" is not a date: give a day as YYYY-MM-DD, e.g. 2026-12-01',
    );
    expect(board([])).toContain('<input name="labels"');
  });
});
