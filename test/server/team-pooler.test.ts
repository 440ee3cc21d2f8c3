// A team's task server behind a connection pooler: real `taskhooks serve` processes (the built CLI) on a real
// PostgreSQL, reached through Debian's real PgBouncer in transaction mode (a backend per transaction, as most hosted
// pooled endpoints do) and in session mode (a backend per client connection). Several processes started together all
// start and migrate once; lists, writes and ids hold under concurrency; and push: through a transaction pooler a
// LISTEN hears nothing, so without --listen-database serve says so in one line at start, monitors poll instead of
// trusting a silent subscription, and doctor says why; with --listen-database changes are pushed again. And killed
// mid-way with SIGKILL under 200 writes with request ids, the pooler or serve itself: serve stays up and answers each
// call, and replaying the same requests answers the first answers and writes nothing new.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshot } from '../../src/cache/snapshots.js';
import { PG_MIGRATIONS } from '../../src/store/postgres/schema.js';
import { openPostgresStore } from '../../src/store/postgres/store.js';
import { tempHome, withHomeCache } from '../helpers/hooks.js';
import { startPgBouncer, type PoolMode, type TestPgBouncer } from '../helpers/pgbouncer.js';
import { postgresForFile } from '../helpers/postgres.js';
import { postToolCall, projectWithMain, startServe, type ServeProcess } from '../helpers/serve.js';
import { expectLandedOnce, replay, retryable, succeeded, underKill } from './killed-writes.js';
import { monitorFollowing, waitFor } from '../monitor/helpers.js';

const TOKEN = 'pooler-test-token-0123456789abcdefghijklm';
const NEVER = '0 0 1 1 *';
const pgServer = postgresForFile();

const toolCall = (url: string, name: string, args: Record<string, unknown>): Promise<any> =>
  postToolCall(url, TOKEN, name, args);

const pushOffLines = (s: ServeProcess): string[] =>
  s
    .stdout()
    .split('\n')
    .filter((l) => /not pushed/.test(l));

/** Each migration ran once, and no advisory lock is left held (by an idle pooled backend, say). */
async function expectMigratedOnce(databaseUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    const versions = await admin.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY 1');
    expect(versions.rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((_, i) => i + 1));
    // This database's locks only: the run's other files share the server.
    const locks = await admin.query(
      "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    );
    expect(locks.rowCount).toBe(0);
  } finally {
    await admin.end();
  }
}

const monitorLog = (home: string): string => {
  try {
    return readFileSync(path.join(home, 'logs', 'monitor.log'), 'utf8');
  } catch {
    return '';
  }
};

describe.each(['transaction', 'session'] as const)('serve through PgBouncer in %s mode', (mode: PoolMode) => {
  let direct: string;
  let pooled: string;
  let bouncer: TestPgBouncer;
  let home: { home: string; cleanup(): void };
  const servers: ServeProcess[] = [];
  const url = (i: number): string => (servers[i % servers.length] as ServeProcess).url;

  beforeAll(async () => {
    direct = await pgServer.createDatabase();
    // Session mode holds a backend per client connection: room for every serve's pool and LISTEN connection.
    bouncer = await startPgBouncer(direct, mode, { poolSize: mode === 'session' ? 100 : 4 });
    pooled = bouncer.pooled(direct);
    home = tempHome();
    // Started together on a new database: each migrates or finds it migrated (the first test checks which).
    servers.push(
      ...(await Promise.all(
        Array.from({ length: 4 }, () => startServe(home.home, ['--database', pooled, '--token', TOKEN])),
      )),
    );
  }, 120_000);
  afterAll(async () => {
    for (const s of servers) await s.kill('SIGTERM');
    await bouncer?.stop();
    home?.cleanup();
  });

  it('eight stores opened at once through the pooler all open, migrate once and leave no lock behind', async () => {
    const fresh = await pgServer.createDatabase();
    const stores = await Promise.allSettled(
      Array.from({ length: 8 }, () => openPostgresStore({ connectionString: bouncer.pooled(fresh) })),
    );
    try {
      expect(stores.filter((s) => s.status === 'rejected').map((s) => String(s.reason))).toEqual([]);
      await expectMigratedOnce(fresh);
    } finally {
      for (const s of stores) if (s.status === 'fulfilled') await s.value.close();
    }
  });

  it('four serve started together all started, migrated the database once and left no lock behind', async () => {
    expect(servers).toHaveLength(4);
    await expectMigratedOnce(direct);
    // One more, after them: nothing holds the migration lock, so it starts too.
    servers.push(await startServe(home.home, ['--database', pooled, '--token', TOKEN]));
  });

  it('says at start, in one line naming --listen-database, whether changes are pushed', () => {
    for (const s of servers) {
      const lines = pushOffLines(s);
      if (mode === 'session') expect(lines).toEqual([]);
      else {
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain('--listen-database');
      }
    }
  });

  it('lists, reads and writes through every process at once never fail', async () => {
    const project = await toolCall(url(0), 'manage_project', { action: 'create', name: 'busy' });
    expect(project.success).toBe(true);
    const projectId = project.data.project.id as string;
    const calls = Array.from({ length: 240 }, (_, i) => {
      const at = url(i);
      switch (i % 4) {
        case 0:
          return toolCall(at, 'manage_task', { action: 'list', project_id: 'busy', limit: 50 });
        case 1:
          return toolCall(at, 'list_tasks', { project_id: 'busy' });
        case 2:
          return toolCall(at, 'manage_task', { action: 'create', project_id: projectId, title: `busy ${i}` });
        default:
          return toolCall(at, 'manage_task', { action: 'list', project_id: 'busy', since: 0 });
      }
    });
    const answers = await Promise.all(calls);
    const failed = answers.filter((a) => a.toolError !== undefined || a.success === false);
    expect(failed).toEqual([]);
    // Every process lists the 60 tasks made, at the same sequence.
    const lists = await Promise.all(
      servers.map((s) => toolCall(s.url, 'manage_task', { action: 'list', project_id: 'busy', limit: 100 })),
    );
    for (const l of lists) expect(l.data.total).toBe(60);
    expect(new Set(lists.map((l) => l.data.sequence)).size).toBe(1);
  });

  it('ids reserved and tasks created concurrently through every process are unique', async () => {
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        toolCall(url(i), 'reserve_id_range', { artifact_type: 'US', count: 2, project_id: 'ids' }),
      ),
    );
    const ids = answers.flatMap((r: { reserved_ids: string[] }) => r.reserved_ids);
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
    const created = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        toolCall(url(i), 'add_task', { tasks: [{ project_id: 'ids', title: `unique ${i}` }] }),
      ),
    );
    const taskIds = created.flatMap((r: { task_ids: string[] }) => r.task_ids);
    expect(taskIds).toHaveLength(40);
    expect(new Set(taskIds).size).toBe(40);
  });

  it('a monitor hears of a change: pushed where LISTEN works, else polled at its own interval, and doctor says why', async () => {
    const branchId = await projectWithMain(url(0), TOKEN, 'shop');
    const through = url(1);
    // Polled every 2 s where nothing is pushed; never where it is.
    const { m, repo, cleanup } = await monitorFollowing(
      through,
      TOKEN,
      'shop',
      mode === 'session' ? NEVER : '*/2 * * * * *',
    );
    try {
      const told = await waitFor('the monitor to subscribe or be told it cannot', () =>
        monitorLog(m.home)
          .split('\n')
          .find((l) => /subscribed: task changes are pushed|cannot push changes/.test(l)),
      );
      if (mode === 'session') expect(told).toContain('subscribed: task changes are pushed');
      else {
        expect(told).toContain('cannot push changes');
        expect(told).toContain('--listen-database');
      }
      await toolCall(url(2), 'manage_task', { action: 'create', git_branch_id: branchId, title: 'Made elsewhere' });
      await waitFor('the change made through another process', () =>
        withHomeCache(m.home, (s) =>
          readSnapshot(s, { sourceKey: through, project: 'shop', branch: 'main' })?.tasks.some(
            (t) => t.title === 'Made elsewhere',
          ),
        ),
      );
      const doctor = JSON.parse(m.cli(['doctor', '--json'], repo.dir).stdout) as {
        steps: { name: string; ok: boolean; detail: string; fix?: string }[];
      };
      const push = doctor.steps.find((s) => s.name === 'pushed changes');
      expect(push).toBeDefined();
      if (mode === 'session') expect(push?.ok).toBe(true);
      else {
        expect(push?.ok).toBe(false);
        expect(`${push?.detail} ${push?.fix}`).toContain('--listen-database');
      }
    } finally {
      cleanup();
    }
  });

  it('with --listen-database (a direct connection for LISTEN), a change through any process is pushed', async () => {
    const listening = await startServe(home.home, [
      '--database',
      pooled,
      '--listen-database',
      direct,
      '--token',
      TOKEN,
    ]);
    servers.push(listening);
    expect(pushOffLines(listening)).toEqual([]);
    const branchId = await projectWithMain(url(0), TOKEN, 'live');
    const { m, cleanup } = await monitorFollowing(listening.url, TOKEN, 'live');
    try {
      await waitFor('the subscription', () => monitorLog(m.home).includes('subscribed: task changes are pushed'));
      await toolCall(url(0), 'manage_task', {
        action: 'create',
        git_branch_id: branchId,
        title: 'Pushed through the pooler',
      });
      await waitFor('the pushed change', () =>
        withHomeCache(m.home, (s) =>
          readSnapshot(s, { sourceKey: listening.url, project: 'live', branch: 'main' })?.tasks.some(
            (t) => t.title === 'Pushed through the pooler',
          ),
        ),
      );
    } finally {
      cleanup();
    }
  });
});

describe('serve through PgBouncer in transaction mode, killed mid-way', () => {
  let direct: string;
  let bouncer: TestPgBouncer;
  let home: { home: string; cleanup(): void };
  const started: ServeProcess[] = [];
  /** Stays up through the pooler's crash, then answers the replay of the writes `victim` was killed under. */
  let survivor: ServeProcess;
  let victim: ServeProcess;

  beforeAll(async () => {
    direct = await pgServer.createDatabase();
    bouncer = await startPgBouncer(direct, 'transaction', { poolSize: 4 });
    home = tempHome();
    // Both started at once, before any kill: one cold start instead of three in a row.
    started.push(
      ...(await Promise.all(
        [0, 1].map(() => startServe(home.home, ['--database', bouncer.pooled(direct), '--token', TOKEN])),
      )),
    );
    [survivor, victim] = started as [ServeProcess, ServeProcess];
  }, 120_000);
  afterAll(async () => {
    for (const s of started) await s.kill();
    await bouncer?.stop();
    home?.cleanup();
  });

  /** Rows and distinct titles of `tag`'s writes, counted on PostgreSQL itself. */
  async function counted(tag: string): Promise<{ rows: number; distinct: number }> {
    const admin = new pg.Client({ connectionString: direct });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ rows: string; distinct: string }>(
        'SELECT count(*) AS rows, count(DISTINCT title) AS distinct FROM tasks WHERE title LIKE $1',
        [`${tag} %`],
      );
      return { rows: Number(rows[0]?.rows), distinct: Number(rows[0]?.distinct) };
    } finally {
      await admin.end();
    }
  }

  it('the pooler killed with SIGKILL under 200 writes: serve stays up and answers each; the replay writes nothing new', async () => {
    const s = survivor;
    expect((await toolCall(s.url, 'manage_project', { action: 'create', name: 'crash' })).success).toBe(true);
    const first = await underKill(s.url, TOKEN, 'pooler', 40, () => bouncer.crash());
    const survived = s.child.exitCode === null;
    await bouncer.restart();
    expect(survived).toBe(true);
    // Every call was answered: a success, or a refusal that says to retry, some of them cut off by the kill.
    expect(first.filter((a) => a === 'lost' || (!succeeded(a) && !retryable(a)))).toEqual([]);
    expect(first.some(retryable)).toBe(true);
    await expectLandedOnce(first, await replay(s.url, TOKEN, 'pooler'), () => counted('pooler'));
    expect(s.child.exitCode).toBeNull();
  }, 120_000);

  it('serve killed with SIGKILL under 200 writes: the replay through another serve writes nothing new', async () => {
    const first = await underKill(victim.url, TOKEN, 'serve', 40, () => victim.kill('SIGKILL'));
    expect(first.filter((a) => a === 'lost').length).toBeGreaterThan(0);
    await expectLandedOnce(first, await replay(survivor.url, TOKEN, 'serve'), () => counted('serve'));
  }, 120_000);
});
