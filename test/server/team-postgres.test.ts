// A team's task server: two `taskhooks serve` processes (the built CLI) on one real PostgreSQL server share the store
// and nothing else. Ids reserved concurrently through both are unique, concurrent claims of one task leave one winner,
// and a change made through one process reaches a monitor subscribed through the other. Bad database URLs are one
// line each, and never show the password.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshot } from '../../src/cache/snapshots.js';
import { openTaskDb } from '../../src/server/index.js';
import { postgresForFile } from '../helpers/postgres.js';
import { hookEnv, tempHome, withHomeCache } from '../helpers/hooks.js';
import { CLI, freePort, postToolCall, projectWithMain, startServe, type ServeProcess } from '../helpers/serve.js';
import { monitorFollowing, waitFor } from '../monitor/helpers.js';

const TOKEN = 'team-test-token-0123456789abcdefghijklmnop';
const pg = postgresForFile();
let home: { home: string; cleanup(): void };
let a: ServeProcess;
let b: ServeProcess;

const toolCall = (url: string, name: string, args: Record<string, unknown>): Promise<any> =>
  postToolCall(url, TOKEN, name, args);

beforeAll(async () => {
  const url = await pg.createDatabase();
  home = tempHome();
  // Started together: the migration runs once under its advisory lock.
  [a, b] = await Promise.all([
    startServe(home.home, ['--database', url, '--token', TOKEN]),
    startServe(home.home, ['--database', url, '--token', TOKEN]),
  ]);
}, 180_000);
afterAll(async () => {
  await a?.kill('SIGTERM');
  await b?.kill('SIGTERM');
  home?.cleanup();
});

describe('two serve processes on one PostgreSQL', () => {
  it('50 concurrent reserve_id_range calls spread over both give unique ids', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        toolCall(i % 2 ? a.url : b.url, 'reserve_id_range', { artifact_type: 'US', count: 3, project_id: 'ids' }),
      ),
    );
    const ids = answers.flatMap((r: { reserved_ids: string[] }) => r.reserved_ids);
    expect(ids).toHaveLength(150);
    expect(new Set(ids).size).toBe(150);
  });

  it('20 concurrent claims of one task through both leave one winner', async () => {
    const project = await toolCall(a.url, 'manage_project', { action: 'create', name: 'claims' });
    const made = await toolCall(a.url, 'manage_task', {
      action: 'create',
      project_id: project.data.project.id,
      title: 'Take me',
    });
    const id = made.data.task.id as string;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        toolCall(i % 2 ? a.url : b.url, 'manage_task', {
          action: 'claim',
          task_id: id,
          claimant: `agent-${i}`,
          lease_seconds: 600,
        }),
      ),
    );
    const winners = answers.filter((r: { success: boolean }) => r.success);
    expect(winners).toHaveLength(1);
    for (const lost of answers.filter((r: { success: boolean }) => !r.success)) expect(lost.error.code).toBe('CLAIMED');
    const after = await toolCall(b.url, 'manage_task', { action: 'get', task_id: id });
    expect(after.data.task.claimed_by).toBe(winners[0].data.task.claimed_by);
  });

  it('a write through one process is in the very next list through the other, kept listings or not', async () => {
    const { data } = await toolCall(a.url, 'manage_project', { action: 'create', name: 'kept' });
    const list = async () => {
      const agenthub = await toolCall(b.url, 'manage_task', { action: 'list', project_id: 'kept', limit: 100 });
      const tracker = await toolCall(b.url, 'list_tasks', { project_id: 'kept' });
      return { agenthub: agenthub.data, tracker };
    };
    for (let i = 0; i < 10; i++) {
      const before = await list();
      // Asked twice at one sequence: the second answer is the kept one, and the same.
      expect(await list()).toEqual(before);
      const created = await toolCall(a.url, 'manage_task', {
        action: 'create',
        project_id: data.project.id,
        title: `kept ${i}`,
      });
      const after = await list();
      expect(after.agenthub.sequence).toBeGreaterThan(before.agenthub.sequence);
      expect(after.agenthub.tasks.map((t: { title: string }) => t.title)).toContain(`kept ${i}`);
      expect(after.agenthub.total).toBe(i + 1);
      expect(after.tracker.tasks.map((t: { task_id: string }) => t.task_id)).toContain(created.data.task.id);
      expect(after.tracker.sequence).toBe(after.agenthub.sequence);
    }
  });

  it('a request id retried through the other process answers once; another project or body is not its answer', async () => {
    for (const name of ['rid-a', 'rid-b']) await toolCall(a.url, 'manage_project', { action: 'create', name });
    const create = (url: string, project: string, title: string): Promise<any> =>
      toolCall(url, 'manage_task', { action: 'create', project_id: project, title, request_id: 'team-r1' });
    const first = await create(a.url, 'rid-a', 'Written once');
    expect((await create(b.url, 'rid-a', 'Written once')).data.task.id).toBe(first.data.task.id);
    const elsewhere = await create(b.url, 'rid-b', 'Another project');
    expect(elsewhere.data.task.title).toBe('Another project');
    const replay = await create(b.url, 'rid-a', 'Another body');
    expect(replay.error.code).toBe('CONFLICT');
    expect(JSON.stringify(replay)).not.toContain('Written once');
    const titles = async (project: string) =>
      (await toolCall(a.url, 'manage_task', { action: 'list', project_id: project })).data.tasks.map(
        (t: { title: string }) => t.title,
      );
    expect(await titles('rid-a')).toEqual(['Written once']);
    expect(await titles('rid-b')).toEqual(['Another project']);
  });

  it('a change made through one process reaches a monitor subscribed through the other', async () => {
    const branchId = await projectWithMain(a.url, TOKEN, 'shop');
    const { m, cleanup } = await monitorFollowing(b.url, TOKEN, 'shop');
    try {
      await waitFor(
        'the monitor to subscribe through b',
        () =>
          withHomeCache(m.home, (s) => readSnapshot(s, { sourceKey: b.url, project: 'shop', branch: 'main' })) !==
          undefined,
      );
      await waitFor(
        'the subscription',
        () =>
          spawnSync('grep', ['-c', 'subscribed: task changes are pushed', path.join(m.home, 'logs', 'monitor.log')])
            .stdout.toString()
            .trim() === '1',
      );
      await toolCall(a.url, 'manage_task', { action: 'create', git_branch_id: branchId, title: 'Made through a' });
      await waitFor('the change made through a', () =>
        withHomeCache(m.home, (s) =>
          readSnapshot(s, { sourceKey: b.url, project: 'shop', branch: 'main' })?.tasks.some(
            (t) => t.title === 'Made through a',
          ),
        ),
      );
    } finally {
      cleanup();
    }
  });
});

describe('server.database in the config', () => {
  it('serve uses it; its password reaches no log and no cache file', async () => {
    const url = new URL(await pg.createDatabase());
    url.password = 'hunter2-in-config';
    const own = tempHome({ server: { database: url.href } });
    try {
      const s = await startServe(own.home, ['--token', TOKEN]);
      try {
        const made = await toolCall(s.url, 'reserve_id_range', { artifact_type: 'US', count: 2, project_id: 'cfg' });
        expect(made.reserved_ids).toEqual(['US-001', 'US-002']);
      } finally {
        await s.kill('SIGTERM');
      }
      const files = readdirSync(own.home, { recursive: true, withFileTypes: true }).filter(
        (f) => f.isFile() && f.name !== 'config.json',
      );
      expect(files.map((f) => f.name)).toContain('config-cache.json');
      for (const f of files)
        expect(readFileSync(path.join(f.parentPath, f.name), 'utf8')).not.toContain('hunter2-in-config');
    } finally {
      own.cleanup();
    }
  });
});

describe('moving an embedded store into the team server', () => {
  const cli = (args: string[]): { code: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [CLI, ...args], {
      env: hookEnv(home.home),
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('tasks export from the SQLite file, tasks import --db URL, and the team store holds the same tasks', async () => {
    const file = path.join(home.home, 'embedded.db');
    const db = openTaskDb(file);
    const p = db.ensureProject('moving');
    db.createTask({
      projectId: p.id,
      gitBranchId: db.ensureBranch(p.id, 'main').id,
      title: 'Carried over',
      priority: 'high',
    });
    db.createTask({ projectId: p.id, title: 'Also carried' });
    db.nextId(p.id, 'US');
    db.close();
    const out = path.join(home.home, 'export.json');
    expect(cli(['tasks', 'export', '--db', file, '--out', out]).code).toBe(0);
    const team = await pg.createDatabase();
    const imported = cli(['tasks', 'import', out, '--db', team]);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^Imported from .*: 1 projects, 1 branches, 2 tasks, 2 id counters/);
    const back = cli(['tasks', 'export', '--db', team]);
    expect(back.code).toBe(0);
    const original = JSON.parse(readFileSync(out, 'utf8')) as { tasks: unknown[]; projects: unknown[] };
    const copied = JSON.parse(back.stdout) as { tasks: unknown[]; projects: unknown[] };
    expect(copied.tasks).toEqual(original.tasks);
    expect(copied.projects).toEqual(original.projects);
    // Again: the team store has tasks now, so a plain import changes nothing and says how to merge.
    const again = cli(['tasks', 'import', out, '--db', team]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toContain('--merge');
  });
});

describe('bad database URLs', () => {
  const serve = (args: string[]): { code: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [CLI, 'serve', '--port', '0', ...args], {
      env: { ...hookEnv(home.home), TASKHOOKS_SERVER_TOKEN: TOKEN },
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('not a postgres URL, or beside --db: exit 2, one line', () => {
    const wrong = serve(['--database', 'mysql://u:hunter2-secret@h/db']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toContain('--database must be a postgres:// URL, not mysql://');
    expect(wrong.stderr + wrong.stdout).not.toContain('hunter2-secret');
    const both = serve(['--database', 'postgres://u@h/db', '--db', 'x.db']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--database and --db contradict each other');
    expect(serve(['--database', 'postgres://u@h']).stderr).toContain('needs a host and a database name');
  });

  it('a server that does not answer: one line naming the URL without its password', async () => {
    const port = await freePort();
    const r = serve(['--database', `postgres://team:hunter2-secret@127.0.0.1:${port}/tasks`]);
    expect(r.code).toBe(1);
    // The password on the command line is warned about first.
    expect(r.stderr.trim().split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/^warning: the password in --database on the command line is visible/);
    expect(r.stderr).toContain(`Cannot open the PostgreSQL store at postgres://team@127.0.0.1:${port}/tasks:`);
    expect(r.stderr + r.stdout).not.toContain('hunter2-secret');
  });
});
