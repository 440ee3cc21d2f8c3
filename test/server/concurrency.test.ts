// First writes and claims from many callers at once, through the real paths: 16 `taskhooks tasks add` processes on
// a new project's embedded store, and 40 creates / 20 claims over HTTP against the reference server (SQLite).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../../src/sqlite/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI } from '../monitor/helpers.js';
import { hookEnv, tempHome } from '../helpers/hooks.js';
import { makeRepo, type TempRepo } from '../helpers/git.js';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';
import { connectHttp, envelope } from './client.js';

const run = promisify(execFile);
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(): Promise<ReferenceServer> {
  const s = await startReferenceServer();
  cleanups.push(() => s.close());
  return s;
}

/** Processes adding at once: eight per core of a 2-core machine, so each meets others busy on the new store. */
const ADDS = 16;

describe('concurrent first writes', () => {
  it(`${ADDS} concurrent \`taskhooks tasks add\` in a new project all succeed, with unique ids, and the store is intact`, async () => {
    const repo: TempRepo = makeRepo({ name: 'burst', branch: 'main', commits: ['initial'] });
    const home = tempHome();
    cleanups.push(
      () => repo.cleanup(),
      () => home.cleanup(),
    );
    const env = { ...hookEnv(home.home), HOME: home.home, NO_COLOR: '1' };
    const results = await Promise.allSettled(
      Array.from({ length: ADDS }, (_, i) =>
        // Tied to the branch, so that each first write also makes the branch: one project, one branch, however many race.
        run(process.execPath, [CLI, 'tasks', 'add', `task ${i}`, '--on-branch', '--json'], { cwd: repo.dir, env }),
      ),
    );
    const failed = results
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => String((r.reason as { stderr?: string }).stderr ?? r.reason));
    expect(failed).toEqual([]);
    const ids = results.map((r) => (r.status === 'fulfilled' ? (JSON.parse(r.value.stdout) as { id: string }).id : ''));
    expect(new Set(ids).size).toBe(ADDS);
    const db = openDatabase(path.join(home.home, 'tasks.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('SELECT COUNT(*) AS n FROM projects').get()).toEqual({ n: 1 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM git_branches').get()).toEqual({ n: 1 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM tasks').get()).toEqual({ n: ADDS });
      // Every task on that one branch, as --on-branch asks: the branch counted above is the one each write tied it to.
      expect(
        db.prepare('SELECT COUNT(DISTINCT git_branch_id) AS n FROM tasks WHERE git_branch_id IS NOT NULL').get(),
      ).toEqual({ n: 1 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM tasks WHERE git_branch_id IS NULL').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  }, 120_000);

  it('40 concurrent manage_task create calls on a new branch over HTTP all succeed, with unique ids', async () => {
    const s = await server();
    const clients = await Promise.all(Array.from({ length: 8 }, () => connectHttp(s.url, s.token)));
    cleanups.push(() => Promise.all(clients.map((c) => c.close())));
    const answers = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const c = clients[i % clients.length]!;
        const project = await envelope(c, 'manage_project', { action: 'create', name: 'fresh' });
        const branch = await envelope(c, 'manage_git_branch', {
          action: 'create',
          project_id: project.data.project.id,
          git_branch_name: 'feature/new',
        });
        return envelope(c, 'manage_task', {
          action: 'create',
          git_branch_id: branch.data.git_branch.id,
          title: `t${i}`,
        });
      }),
    );
    expect(answers.filter((a) => !a.success)).toEqual([]);
    expect(new Set(answers.map((a) => a.data.task.id)).size).toBe(40);
    expect(new Set(answers.map((a) => a.data.task.git_branch_id)).size).toBe(1);
    expect(s.db.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('20 concurrent claims of one task over HTTP: one winner, the others a CLAIMED failure naming the holder', async () => {
    const s = await server();
    const { project } = await s.store.getOrCreateProject({ name: 'race' });
    const task = await s.store.createTask({ projectId: project.id, title: 'contested' });
    const clients = await Promise.all(Array.from({ length: 20 }, () => connectHttp(s.url, s.token)));
    cleanups.push(() => Promise.all(clients.map((c) => c.close())));
    const answers = await Promise.all(
      clients.map((c, i) =>
        envelope(c, 'manage_task', { action: 'claim', task_id: task.id, claimant: `session-${i}`, lease_seconds: 60 }),
      ),
    );
    const winners = answers.filter((a) => a.success);
    expect(winners).toHaveLength(1);
    const holder = winners[0]?.data.task.claimed_by as string;
    expect(winners[0]?.data.task).toMatchObject({ claimed_by: holder, version: 2 });
    const losers = answers.filter((a) => !a.success);
    expect(losers).toHaveLength(19);
    for (const l of losers) {
      expect(l.error.code).toBe('CLAIMED');
      expect(l.error.message).toContain(`is claimed by ${holder} until ${winners[0]?.data.task.claim_expires_at}`);
    }
  });
});

describe('claim, release and notes over the tools', () => {
  it('manage_task claim/release/add_note and the tracker claim_task/release_task; bad input is refused in one line', async () => {
    const s = await server();
    const { project } = await s.store.getOrCreateProject({ name: 'tools' });
    const task = await s.store.createTask({ projectId: project.id, title: 'worked on' });
    const c = await connectHttp(s.url, s.token);
    cleanups.push(() => c.close());
    const claimed = await envelope(c, 'manage_task', { action: 'claim', task_id: task.id, claimant: 'ann' });
    // The caller's token stands for "test": the claim names that person, and "ann" as the session.
    expect(claimed.data.task).toMatchObject({ claimed_by: 'test/ann', version: 2 });
    expect(Date.parse(claimed.data.task.claim_expires_at) - Date.now()).toBeGreaterThan(850_000);
    const stale = await envelope(c, 'manage_task', { action: 'update', task_id: task.id, title: 'x', version: 1 });
    expect(stale.error.code).toBe('CONFLICT');
    expect(
      (await envelope(c, 'manage_task', { action: 'update', task_id: task.id, title: 'renamed', version: 2 })).data
        .task,
    ).toMatchObject({ title: 'renamed', version: 3 });
    expect((await envelope(c, 'manage_task', { action: 'claim', task_id: task.id, claimant: 'bob' })).error.code).toBe(
      'CLAIMED',
    );
    expect(
      (await envelope(c, 'manage_task', { action: 'claim', task_id: task.id, claimant: 'ann', lease_seconds: 0 })).error
        .message,
    ).toBe('Invalid lease_seconds: 0. Allowed values: 1..86400');
    // No claimant: the person alone, who is not the session holding it.
    expect((await envelope(c, 'manage_task', { action: 'claim', task_id: task.id })).error.code).toBe('CLAIMED');
    expect(
      (await envelope(c, 'manage_task', { action: 'claim', task_id: task.id, claimant: 'ann', version: 'x' })).error
        .message,
    ).toBe(`Invalid version: x. Allowed values: 1..${Number.MAX_SAFE_INTEGER}`);
    const badLease = await c.callTool({
      name: 'claim_task',
      arguments: { task_id: task.id, claimant: 'ann', lease_seconds: 0 },
    });
    expect(badLease.isError).toBe(true);
    expect((await s.store.getTask(task.id))?.version).toBe(3);
    expect(
      (await envelope(c, 'manage_task', { action: 'release', task_id: task.id, claimant: 'ann' })).data.task.claimed_by,
    ).toBeNull();
    const tracker = await c.callTool({ name: 'claim_task', arguments: { task_id: task.id, claimant: 'bob' } });
    expect(JSON.parse((tracker.content as Array<{ text: string }>)[0]!.text)).toMatchObject({
      task_id: task.id,
      claimed_by: 'test/bob',
    });
    const refused = await c.callTool({ name: 'claim_task', arguments: { task_id: task.id, claimant: 'ann' } });
    expect(refused.isError).toBe(true);
    expect((refused.content as Array<{ text: string }>)[0]!.text).toMatch(
      new RegExp(`^Task ${task.id} is claimed by test/bob until `),
    );
    expect((await c.callTool({ name: 'release_task', arguments: { task_id: task.id, claimant: 'bob' } })).isError).toBe(
      false,
    );

    const noted = await envelope(c, 'manage_task', {
      action: 'add_note',
      task_id: task.id,
      note: 'tried the cache',
      author: 'dana',
    });
    expect(noted.data.note).toMatchObject({ task_id: task.id, author: 'dana', text: 'tried the cache' });
    expect((await envelope(c, 'manage_task', { action: 'add_note', task_id: task.id })).error.code).toBe(
      'VALIDATION_ERROR',
    );
    expect((await envelope(c, 'manage_task', { action: 'add_note', task_id: 'TASK-999', note: 'x' })).error.code).toBe(
      'NOT_FOUND',
    );
    const got = await envelope(c, 'manage_task', { action: 'get', task_id: task.id });
    expect(got.data.task.notes).toEqual([expect.objectContaining({ author: 'dana', text: 'tried the cache' })]);
  });
});
