// `taskhooks tasks …` on the embedded store, as a person uses it in a real git repository: branch names, the notes
// given with --note, and what --project and --dir mean.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonOut, runCli, type CliRun } from '../helpers/cli.js';
import { listSnapshotsDue, readSnapshot } from '../../src/cache/snapshots.js';
import { homeFiles } from '../../src/home/files.js';
import { hookEnv, runHook, sessionStartInput, tempHome, withHomeCache } from '../helpers/hooks.js';
import { makeRepo, type TempRepo } from '../helpers/git.js';

let repo: TempRepo;
let home: { home: string; cleanup(): void };
beforeEach(() => {
  repo = makeRepo({ name: 'shop', branch: 'feature/login', commits: ['initial'] });
  home = tempHome();
});
afterEach(() => {
  repo.cleanup();
  home.cleanup();
});

function cli(args: string[], cwd = repo.dir): Promise<CliRun> {
  return runCli(args, { cwd, env: { ...hookEnv(home.home), HOME: home.home, NO_COLOR: '1' } });
}

describe('taskhooks tasks on the embedded store', () => {
  it('shows the branch by its name, never its id, in show, next and --json', async () => {
    const added = jsonOut(await cli(['tasks', 'add', 'Fix', 'the', 'login', '--on-branch', '--json'])) as {
      id: string;
      branch: string;
      branchId: string;
    };
    expect(added.branch).toBe('feature/login');
    expect(added.branchId).toMatch(/^[0-9a-f-]{36}$/);
    const shown = await cli(['tasks', 'show', added.id]);
    expect(shown.stdout).toMatch(/^branch\s+feature\/login$/m);
    expect(shown.stdout).not.toContain(added.branchId);
    const next = await cli(['tasks', 'next']);
    expect(next.stdout).toMatch(/^title\s+Fix the login$/m);
    expect(next.stdout).toMatch(/^branch\s+feature\/login$/m);
    expect((jsonOut(await cli(['tasks', 'show', added.id, '--json'])) as { branch: string }).branch).toBe(
      'feature/login',
    );
  });

  it("adds a task every branch lists, as the model's add_task does, in a session's own name when its Bash runs it", async () => {
    const added = await runCli(['tasks', 'add', 'Refund flow', '--priority', 'high'], {
      cwd: repo.dir,
      env: { ...hookEnv(home.home), HOME: home.home, NO_COLOR: '1', CLAUDE_CODE_SESSION_ID: 'sess-bash' },
    });
    expect(added.stdout, added.stderr).toBe('Added TASK-001 (every branch): Refund flow\n');
    const listed = jsonOut(await cli(['tasks', 'list', '--branch', 'main', '--json'])) as { tasks: unknown[] };
    expect(listed.tasks).toMatchObject([{ title: 'Refund flow', projectTask: true }]);
    // The scope it acted on is in the cache already, read again by the command: the next hook fetches nothing.
    const key = { sourceKey: 'embedded', project: 'shop', branch: 'feature/login' };
    withHomeCache(home.home, (cache) => {
      expect(readSnapshot(cache, key)?.tasks.map((t) => t.title)).toEqual(['Refund flow']);
      expect(listSnapshotsDue(cache)).toEqual([]);
      const own = cache.db.prepare("SELECT key FROM kv WHERE key LIKE 'own-writes:%'").all();
      expect(own).toEqual([{ key: 'own-writes:sess-bash' }]);
    });
  });

  it('lists a DUE column only when a listed task is due some day, and says which day has passed', async () => {
    expect((await cli(['tasks', 'add', 'Fix the login'])).code).toBe(0);
    const plain = (await cli(['tasks', 'list'])).stdout;
    expect(plain.split('\n')[0]).toMatch(/^ID\s+STATUS\s+PRIORITY\s+BRANCH\s+TITLE$/);
    expect((await cli(['tasks', 'add', 'Renew the certificate', '--due', '2020-01-01'])).code).toBe(0);
    expect((await cli(['tasks', 'add', 'Ship the release', '--due', '2099-12-31'])).code).toBe(0);
    const lines = (await cli(['tasks', 'list'])).stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATUS\s+PRIORITY\s+DUE\s+BRANCH\s+TITLE$/);
    const titleAt = (lines[0] as string).indexOf('TITLE');
    expect(lines.find((l) => l.endsWith('Renew the certificate'))).toMatch(
      /\btodo\s+medium\s+2020-01-01 \(overdue\)\s+every branch\s+Renew/,
    );
    expect(lines.find((l) => l.endsWith('Ship the release'))).toMatch(
      /\s2099-12-31\s+every branch\s+Ship the release$/,
    );
    // A task with no due day keeps its title in the title column.
    expect(lines.find((l) => l.endsWith('Fix the login'))?.indexOf('Fix the login')).toBe(titleAt);
  });

  it('tasks next says whether the task is already in progress or the next one to take', async () => {
    const { id } = jsonOut(await cli(['tasks', 'add', 'Fix the cart', '--priority', 'high', '--json'])) as {
      id: string;
    };
    expect((await cli(['tasks', 'next'])).stdout).toMatch(/^Next task:\nid\s+/);
    expect((await cli(['tasks', 'start', id])).code).toBe(0);
    const started = (await cli(['tasks', 'next'])).stdout;
    expect(started).toMatch(/^Task in progress:\nid\s+/);
    expect(started).toMatch(/^title\s+Fix the cart$/m);
  });

  it('keeps the --note of start, block and done and shows them again in tasks show', async () => {
    const { id } = jsonOut(
      await cli(['tasks', 'add', 'Ship the cart', '--description', 'the whole cart', '--json']),
    ) as { id: string };
    const started = await cli(['tasks', 'start', id, '--note', 'pairing with Sam']);
    expect(started.stdout).toContain(`Started ${id}: Ship the cart (in_progress)`);
    const blocked = await cli(['tasks', 'block', id, '--note', 'waiting for the API key']);
    expect(blocked.stdout).toContain(
      `Blocked ${id}: Ship the cart (blocked)\nWhy it is blocked, added to the task's notes: waiting for the API key\n(\`taskhooks tasks show ${id}\` shows it)`,
    );
    const afterBlock = (await cli(['tasks', 'show', id])).stdout;
    // Both notes, in order: the second did not erase the first.
    expect(afterBlock).toMatch(/^notes\s+in_progress: pairing with Sam\n\s+\n\s+blocked: waiting for the API key$/m);
    expect(afterBlock).toMatch(/^description\s+the whole cart$/m);
    expect((await cli(['tasks', 'done', id, '--note', 'shipped in a1b2c3'])).code).toBe(0);
    const afterDone = await cli(['tasks', 'show', id]);
    expect(afterDone.stdout).toMatch(/^summary\s+shipped in a1b2c3$/m);
    expect(afterDone.stdout).toContain('blocked: waiting for the API key');
    expect(jsonOut(await cli(['tasks', 'show', id, '--json']))).toMatchObject({
      status: 'done',
      summary: 'shipped in a1b2c3',
    });
  });

  it('tasks done --summary is --note by the name its help gives it; start has no such flag, and both at once is refused', async () => {
    const id = (jsonOut(await cli(['tasks', 'add', 'Ship the cart', '--json'])) as { id: string }).id;
    expect((await cli(['tasks', 'start', id, '--summary', 'x'])).code).toBe(2);
    const both = await cli(['tasks', 'done', id, '--summary', 'a', '--note', 'b']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--summary is another name for --note: give one of them');
    const done = await cli(['tasks', 'done', id, '--summary', 'shipped in a1b2c3']);
    expect(done.code, done.stderr).toBe(0);
    // Said in the person's words: what was done, not that "a note" was kept.
    expect(done.stdout).toContain('Summary of what was done, kept with the task: shipped in a1b2c3\n');
    expect(done.stdout).not.toContain('Note kept');
    expect(jsonOut(await cli(['tasks', 'show', id, '--json']))).toMatchObject({
      status: 'done',
      summary: 'shipped in a1b2c3',
    });
  });

  it('a change made stays a success when the monitor cannot be woken (the signals folder is not a folder)', async () => {
    writeFileSync(path.join(home.home, 'signals'), 'not a folder');
    const added = await cli(['tasks', 'add', 'Fix the cart']);
    expect(added.code, added.stderr).toBe(0);
    const listed = jsonOut(await cli(['tasks', 'list', '--json'])) as { tasks: Array<{ title: string }> };
    expect(listed.tasks.map((t) => t.title)).toEqual(['Fix the cart']);
  });
});

describe('after `tasks add` with no monitor', () => {
  it('the command records the new snapshot once: the next hook reads it, and nothing is left for a monitor', async () => {
    const added = await cli(['tasks', 'add', 'Fix the cart']);
    expect(added.code, added.stderr).toBe(0);
    const key = { sourceKey: 'embedded', project: 'shop', branch: 'feature/login' };
    const cached = withHomeCache(home.home, (c) => ({ snapshot: readSnapshot(c, key), due: listSnapshotsDue(c) }));
    expect(cached.snapshot?.tasks.map((t) => t.title)).toEqual(['Fix the cart']);
    expect(cached.snapshot?.staleSince).toBeUndefined();
    // Nothing is stale, so no monitor is asked to fetch it again.
    expect(cached.due).toEqual([]);
    expect(existsSync(path.join(homeFiles(home.home).signals, 'refresh'))).toBe(false);
    const start = await runHook('session-start', sessionStartInput(repo.dir, 's-after-add'), { home: home.home });
    expect(start.output?.hookSpecificOutput.additionalContext).toContain('Fix the cart');
  });
});

describe("another project's task id", () => {
  it('is refused in one line naming its project and how to act on it anyway, and --project acts on it', async () => {
    const alpha = makeRepo({ name: 'alpha' });
    try {
      expect((await cli(['tasks', 'add', 'Alpha work'], alpha.dir)).stdout).toBe(
        'Added TASK-001 (every branch): Alpha work\n',
      );
      expect((await cli(['tasks', 'add', 'Alpha more'], alpha.dir)).stdout).toBe(
        'Added TASK-002 (every branch): Alpha more\n',
      );
      // Each project counts its own ids: shop's first task is its TASK-001 too.
      const shop = await cli(['tasks', 'add', 'Shop work']);
      expect(shop.stdout, shop.stderr).toBe('Added TASK-001 (every branch): Shop work\n');
      for (const args of [
        ['start', 'TASK-002'],
        ['done', 'TASK-002'],
        ['show', 'TASK-002'],
        ['note', 'TASK-002', 'a note'],
        ['edit', 'TASK-002', '--title', 'Renamed'],
        ['delete', 'TASK-002', '--yes'],
      ]) {
        const refused = await cli(['tasks', ...args]);
        expect(refused.code, args.join(' ')).toBe(2);
        expect(refused.stdout).toBe('');
        expect(refused.stderr).toBe(
          `taskhooks: TASK-002 belongs to project alpha, not shop: to act on it anyway, name its project (\`taskhooks tasks ${args[0]} TASK-002 --project alpha\`)\n`,
        );
      }
      const untouched = jsonOut(await cli(['tasks', 'show', 'TASK-002', '--json'], alpha.dir)) as {
        title: string;
        status: string;
      };
      expect(untouched).toMatchObject({ title: 'Alpha more', status: 'todo' });
      const anyway = await cli(['tasks', 'start', 'TASK-002', '--project', 'alpha']);
      expect(anyway.code, anyway.stderr).toBe(0);
      expect(anyway.stdout).toContain('Started TASK-002: Alpha more (in_progress)');
      // An id both projects hold is the directory's own, acted on without a word; --project names the other's.
      expect((await cli(['tasks', 'start', 'TASK-001'])).stdout).toContain('Started TASK-001: Shop work');
      expect(jsonOut(await cli(['tasks', 'show', 'TASK-001', '--json'], alpha.dir))).toMatchObject({
        title: 'Alpha work',
        status: 'todo',
      });
      expect((await cli(['tasks', 'done', 'TASK-001', '--project', 'alpha'])).stdout).toContain('TASK-001: Alpha work');
    } finally {
      alpha.cleanup();
    }
  });
});

describe('--project is a name, --dir a directory', () => {
  it('refuses a directory given as --project, pointing at --dir, and --dir acts on that project from anywhere', async () => {
    await cli(['tasks', 'add', 'Write the checkout page']);
    const mistaken = await cli(['tasks', 'list', '--project', repo.dir], home.home);
    expect(mistaken.code).toBe(2);
    expect(mistaken.stderr).toBe(
      `taskhooks tasks list: --project is the project's name on the task server, not a directory: for the project in "${repo.dir}" write --dir ${repo.dir} (see taskhooks tasks list --help)\n`,
    );
    const elsewhere = jsonOut(await cli(['tasks', 'list', '--dir', repo.dir, '--json'], home.home)) as {
      project: string;
      branch: string;
      tasks: Array<{ title: string }>;
    };
    expect(elsewhere).toMatchObject({
      project: 'shop',
      branch: 'feature/login',
      tasks: [{ title: 'Write the checkout page' }],
    });
    const byName = jsonOut(
      await cli(['tasks', 'list', '--project', 'shop', '--branch', 'feature/login', '--json'], home.home),
    ) as { tasks: unknown[] };
    expect(byName.tasks).toHaveLength(1);
  });

  it('install and uninstall take --dir, and the old --project DIR still works with a deprecation note', async () => {
    const installed = await cli(['install', '--dir', repo.dir, '--dry-run'], home.home);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stderr).toBe('');
    const old = await cli(['install', '--project', repo.dir, '--dry-run'], home.home);
    expect(old.code, old.stderr).toBe(0);
    expect(old.stderr).toBe(
      `taskhooks: --project DIR is deprecated here, use --dir ${repo.dir} (--project now always names the project on the task server)\n`,
    );
    expect(old.stdout).toBe(installed.stdout);
    const relative = await cli(['uninstall', '--project', '.', '--dry-run']);
    expect(relative.code).toBe(0);
    expect(relative.stderr).toContain('--project DIR is deprecated here, use --dir .');
    const name = await cli(['install', '--project', 'shop'], home.home);
    expect(name.code).toBe(2);
    expect(name.stderr).toBe(
      `taskhooks install: --project means the project's name on the task server, and this command takes none; for the directory "shop" write --dir shop (see taskhooks install --help)\n`,
    );
  });
});
