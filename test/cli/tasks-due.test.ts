// A task's due date goes the whole way on both engines: `tasks add --due` through `taskhooks serve` into the store,
// back out of its MCP tools (agenthub's and the tracker's), `tasks show`, the session's context, and export/import.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeRepo, type TempRepo } from '../helpers/git.js';
import { hookEnv, tempHome } from '../helpers/hooks.js';
import { jsonOut, runCli, runCliOk, type CliRun } from '../helpers/cli.js';
import { postgresForFile } from '../helpers/postgres.js';
import { postToolCall, startServe, type ServeProcess } from '../helpers/serve.js';

const TOKEN = 'due-date-test-token-of-at-least-32-characters';
const pg = postgresForFile();

let repo: TempRepo;
let home: { home: string; cleanup(): void };
let server: ServeProcess | undefined;
let n = 0;

beforeEach(() => {
  repo = makeRepo({ name: `due${++n}`, branch: 'main', commits: ['init'] });
  home = tempHome();
});
afterEach(async () => {
  await server?.kill();
  server = undefined;
  repo.cleanup();
  home.cleanup();
});

/** The CLI in the repository, its task source the running server unless `--db` names a store. */
const cli = (...args: string[]): Promise<CliRun> =>
  runCli(args, {
    cwd: repo.dir,
    env: {
      ...hookEnv(home.home, server ? { MCP_SERVER_URL: server.url, MCP_API_TOKEN: TOKEN } : {}),
      HOME: home.home,
      NO_COLOR: '1',
    },
  });

const engines = [
  { name: 'SQLite', store: async () => path.join(home.home, 'served.db'), flag: '--db' },
  { name: 'PostgreSQL', store: () => pg.createDatabase(), flag: '--database' },
] as const;

for (const engine of engines) {
  describe(`a due date on ${engine.name}`, () => {
    it('is written by the CLI and the tools, checked, shown, told to the session, exported and imported', async () => {
      const store = await engine.store();
      const served = await startServe(home.home, [engine.flag, store, '--token', TOKEN]);
      server = served;
      const call = (name: string, args: Record<string, unknown>) => postToolCall(served.url, TOKEN, name, args);

      // The CLI writes it; the agenthub tool answers it, and refuses a day that does not exist.
      const added = await cli('tasks', 'add', 'Ship the release', '--due', '2026-12-01', '--json');
      expect(added.code).toBe(0);
      const id = jsonOut<{ id: string; dueDate?: string }>(added).id;
      expect(JSON.parse(added.stdout)).toMatchObject({ dueDate: '2026-12-01' });
      expect((await call('manage_task', { action: 'get', task_id: id })).data.task.dueDate).toBe('2026-12-01');
      const refused = await call('manage_task', { action: 'update', task_id: id, due_date: '2026-02-30' });
      expect(refused.success).toBe(false);
      expect(JSON.stringify(refused.error)).toContain('due_date: \\"2026-02-30\\" is not a date');
      const moved = await call('manage_task', { action: 'update', task_id: id, due_date: '2027-01-15' });
      expect(moved.data.task.dueDate).toBe('2027-01-15');

      // The tracker tools carry it by their own name, and check it the same way.
      const project = path.basename(repo.dir);
      const listed = (await call('list_tasks', { project_id: project })) as {
        tasks: { task_id: string; due_date: string | null }[];
      };
      expect(listed.tasks.find((t) => t.task_id === id)?.due_date).toBe('2027-01-15');
      const badBatch = await call('add_task', { tasks: [{ project_id: project, title: 'Soon', due_date: 'soon' }] });
      expect(badBatch.toolError).toContain('due_date: "soon" is not a date');

      // `tasks show` shows it; a wrong day is one line, exit 2, and changes nothing.
      expect((await cli('tasks', 'show', id)).stdout).toMatch(/^due\s+2027-01-15$/m);
      const wrong = await cli('tasks', 'edit', id, '--due', '15/01/2027');
      expect(wrong.code).toBe(2);
      expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
      expect(wrong.stderr).toContain('--due "15/01/2027" is not a date: give a day as YYYY-MM-DD');

      // The session is told when each pending task is due, and which day has passed.
      expect((await cli('tasks', 'add', 'Renew the certificate', '--due', '2020-01-01')).code).toBe(0);
      const context = (await cli('context')).stdout;
      expect(context).toContain(
        `Next recommended task: ${id} "Ship the release" — priority medium, status todo, due 2027-01-15.`,
      );
      expect(context).toMatch(/"Renew the certificate" \[todo, medium, due 2020-01-01 \(overdue\)\]/);

      // Export and import carry it, into a store of the same engine.
      const file = path.join(home.home, 'export.json');
      expect((await cli('tasks', 'export', '--db', store, '--out', file)).code).toBe(0);
      const exported = JSON.parse(readFileSync(file, 'utf8')) as { tasks: { id: string; dueDate: string | null }[] };
      expect(exported.tasks.find((t) => t.id === id)?.dueDate).toBe('2027-01-15');
      const copy = engine.name === 'SQLite' ? path.join(home.home, 'copy.db') : await pg.createDatabase();
      expect((await cli('tasks', 'import', file, '--db', copy)).code).toBe(0);
      expect((await cli('tasks', 'export', '--db', copy)).stdout).toContain('"dueDate": "2027-01-15"');

      // An empty value clears it.
      expect((await cli('tasks', 'edit', id, '--due', '')).code).toBe(0);
      expect((await cli('tasks', 'show', id)).stdout).not.toMatch(/^due/m);
    }, 180_000);
  });
}

it('a source with nowhere to keep it says so on stderr, and the task is still added', async () => {
  const served = await startServe(home.home, ['--db', path.join(home.home, 'served.db'), '--token', TOKEN]);
  server = served;
  const added = await runCliOk(['tasks', 'add', 'Ship', '--due', '2026-12-01'], {
    cwd: repo.dir,
    env: { ...hookEnv(home.home, { TASK_TRACKING_URL: served.url, TASK_TRACKING_API_KEY: TOKEN }), NO_COLOR: '1' },
  });
  expect(added.stdout).toMatch(/^Added /);
  expect(added.stderr).toBe('note: the tracker task source did not keep --due\n');
}, 120_000);

it('an export written before the field was declared imports, the field empty', async () => {
  const file = path.join(home.home, 'old.json');
  const store = path.join(home.home, 'old.db');
  expect((await cli('tasks', 'add', 'Old work', '--db', store)).code).toBe(0);
  expect((await cli('tasks', 'export', '--db', store, '--out', file)).code).toBe(0);
  const data = JSON.parse(readFileSync(file, 'utf8')) as { tasks: Record<string, unknown>[] };
  for (const t of data.tasks) delete t.dueDate;
  writeFileSync(file, JSON.stringify(data));
  const fresh = path.join(home.home, 'fresh.db');
  expect((await cli('tasks', 'import', file, '--db', fresh)).code).toBe(0);
  expect((await cli('tasks', 'export', '--db', fresh)).stdout).toContain('"dueDate": null');
});

it.each(['2026-02-30', '275760-09-13'])(
  'an import holds a due date to the rule tasks add holds it to: %s is refused, nothing written',
  async (day) => {
    const file = path.join(home.home, 'bad-due.json');
    const store = path.join(home.home, 'bad-due.db');
    expect((await cli('tasks', 'add', 'Work', '--db', store)).code).toBe(0);
    expect((await cli('tasks', 'add', 'Later', '--due', day, '--db', store)).code).not.toBe(0);
    expect((await cli('tasks', 'export', '--db', store, '--out', file)).code).toBe(0);
    const data = JSON.parse(readFileSync(file, 'utf8')) as { tasks: Record<string, unknown>[] };
    for (const t of data.tasks) t.dueDate = day;
    writeFileSync(file, JSON.stringify(data));
    const fresh = path.join(home.home, `bad-due-${day}.db`);
    const imported = await cli('tasks', 'import', file, '--db', fresh);
    expect(imported.code).not.toBe(0);
    expect(imported.stderr).toContain(`"${day}" is not a date`);
    expect(imported.stderr.trim().split('\n')).toHaveLength(1);
  },
);
