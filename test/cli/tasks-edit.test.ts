// The task CLI does everything a person does with tasks: edit, note, reopen, delete, and list with filters, on the
// built-in store and on the reference server over HTTP; bad input is one line, exit 2, and changes nothing.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jsonOut, runCli, type CliRun } from '../helpers/cli.js';
import { makeRepo, type TempRepo } from '../helpers/git.js';
import { hookEnv, ROOMY_SOURCE_TIMEOUT_MS, tempHome } from '../helpers/hooks.js';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';

let ref: ReferenceServer;
let repo: TempRepo;
let home: { home: string; cleanup(): void };

beforeAll(async () => {
  ref = await startReferenceServer();
});
afterAll(() => ref.close());
let n = 0;
beforeEach(() => {
  // One server for every test: each gets a project of its own.
  repo = makeRepo({ name: `shop${++n}`, branch: 'main' });
  // The reference server answers from this process, which busy cores can keep from it past the default 5 s.
  home = tempHome({ source: { timeoutMs: ROOMY_SOURCE_TIMEOUT_MS } });
});
afterEach(() => {
  repo.cleanup();
  home.cleanup();
});

interface Listed {
  id: string;
  title: string;
  status: string;
  priority: string;
  description?: string;
  details?: string;
  branch?: string;
}

for (const where of ['the built-in store', 'the reference server'] as const) {
  describe(`taskhooks tasks on ${where}`, () => {
    const env = (): NodeJS.ProcessEnv => ({
      ...hookEnv(
        home.home,
        where === 'the reference server' ? { MCP_SERVER_URL: ref.url, MCP_API_TOKEN: ref.token } : {},
      ),
      HOME: home.home,
      NO_COLOR: '1',
    });
    const cli = (...args: string[]): Promise<CliRun> => runCli(args, { cwd: repo.dir, env: env() });
    const add = async (title: string, ...flags: string[]): Promise<string> =>
      jsonOut<{ id: string }>(await cli('tasks', 'add', title, '--json', ...flags)).id;
    const list = async (...flags: string[]): Promise<Listed[]> =>
      jsonOut<{ tasks: Listed[] }>(await cli('tasks', 'list', '--json', ...flags)).tasks;
    const show = async (id: string): Promise<Listed> => jsonOut<Listed>(await cli('tasks', 'show', id, '--json'));

    it('edits the title, description, priority and branch', async () => {
      // Tied to this branch, so that the branch is one the store knows and lists alone once the task moves away.
      const id = await add('Fix the login', '--on-branch');
      const edited = await cli(
        'tasks',
        'edit',
        id,
        '--title',
        'Fix the login on Safari',
        '--priority',
        'urgent',
        '--description',
        'the redirect',
      );
      expect(edited).toMatchObject({ code: 0, stdout: `Edited ${id}: Fix the login on Safari (urgent)\n` });
      expect(await show(id)).toMatchObject({
        title: 'Fix the login on Safari',
        priority: 'urgent',
        description: 'the redirect',
      });
      expect((await cli('tasks', 'edit', id, '--to-branch', 'feature/safari')).code).toBe(0);
      expect((await list()).map((t) => t.id)).not.toContain(id);
      expect((await list('--branch', 'feature/safari')).map((t) => t.id)).toEqual([id]);
    });

    it('adds notes, reopens a finished task, and lists done tasks only when asked', async () => {
      const id = await add('Ship the cart');
      // Each project counts its own ids: on the one server every test's project holds a TASK-001, and each command
      // reaches its own.
      expect(id).toBe('TASK-001');
      expect((await cli('tasks', 'note', id, 'pairing', 'with', 'Sam')).code).toBe(0);
      expect((await cli('tasks', 'done', id)).code).toBe(0);
      expect(await list()).toEqual([]);
      expect((await list('--all')).map((t) => [t.id, t.status])).toEqual([[id, 'done']]);
      expect((await list('--status', 'done,cancelled')).map((t) => t.id)).toEqual([id]);
      expect((await cli('tasks', 'reopen', id)).stdout).toBe(`Reopened ${id}: Ship the cart (todo)\n`);
      expect((await list('--status', 'todo')).map((t) => t.id)).toEqual([id]);
      expect(await list('--assignee', 'nobody')).toEqual([]);
    });

    it('deletes only with --yes when no terminal can ask', async () => {
      const id = await add('Delete these example tasks');
      const refused = await cli('tasks', 'delete', id);
      expect(refused.code).toBe(2);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toContain('pass --yes');
      expect((await list()).map((t) => t.id)).toEqual([id]);
      const deleted = await cli('tasks', 'delete', id, '--yes');
      expect(deleted.code).toBe(0);
      expect(await list('--all')).toEqual([]);
      if (where === 'the built-in store') {
        // The command names how to bring that task back (test/cli/tasks-undelete.test.ts does).
        expect(deleted.stdout).toContain(
          `To bring it back (that task alone, with its notes): taskhooks tasks undelete ${id}`,
        );
      }
    });

    it('refuses bad input in one line, exit 2 (3 for a task that is not there), changing nothing', async () => {
      const id = await add('Keep me');
      const before = await list('--all');
      const cases: Array<[string[], RegExp, number]> = [
        [['tasks', 'edit', 'TASK-999', '--title', 'x'], /not found.*tasks list --all/i, 3],
        [['tasks', 'edit', id, '--title', '  '], /--title is empty/, 2],
        [['tasks', 'edit', id], /nothing to change/, 2],
        [['tasks', 'edit', id, '--priority', 'soon'], /--priority "soon" is not one of/, 2],
        [['tasks', 'list', '--status', 'finished'], /--status "finished" is not one of/, 2],
        [['tasks', 'note', id], /missing TEXT/, 2],
        [['tasks', 'note', id, ' '], /the note is empty/, 2],
        [['tasks', 'delete', 'TASK-999', '--yes'], /not found/i, 3],
        [['tasks', 'reopen', 'TASK-999'], /not found/i, 3],
      ];
      for (const [args, message, code] of cases) {
        const r = await cli(...args);
        expect(r.code, args.join(' ')).toBe(code);
        expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
        expect(r.stderr, args.join(' ')).toMatch(message);
      }
      expect(await list('--all')).toEqual(before);
    });
  });
}
