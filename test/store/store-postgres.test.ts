// The shared store suite on the PostgreSQL engine, against the real server the harness starts for the run: each
// test on a fresh database, each extra connection its own pool, as another serve process would have.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { expect, it } from 'vitest';
import { openTaskDb } from '../../src/store/index.js';
import { startHttpServer } from '../../src/server/index.js';
import { silentLogger } from '../helpers/cache.js';
import { connectHttp, envelope } from '../server/client.js';
import { runCli } from '../helpers/cli.js';
import { PG_MIGRATIONS } from '../../src/store/postgres/schema.js';
import { openPostgresStore } from '../../src/store/postgres/store.js';
import { postgresForFile } from '../helpers/postgres.js';
import { storeSuite, type StoreFixture } from './store-suite.js';
import { requestSuite } from './store-requests.js';
import { tenantSuite } from './tenants.js';
import { workRecordSuite } from './work-record-suite.js';
import { STORE_BEFORE_KEYS, expectKeptByProject } from './key-migration.js';

const server = postgresForFile();

const fixture = async (): Promise<StoreFixture> => {
  const url = await server.createDatabase();
  const store = await openPostgresStore({ connectionString: url });
  return {
    store,
    connect: () => openPostgresStore({ connectionString: url, maxConnections: 2 }),
    close: () => store.close(),
  };
};

storeSuite('PostgreSQL', fixture);
requestSuite('PostgreSQL', fixture);
workRecordSuite('PostgreSQL', fixture);
tenantSuite('PostgreSQL', fixture);

it('a database whose tombstones were kept by task alone keeps them, each under its project', async () => {
  const url = await server.createDatabase();
  const perProject = PG_MIGRATIONS.findIndex((m) => m.includes('ADD PRIMARY KEY (task_id, project_id)'));
  expect(perProject).toBeGreaterThan(0);
  // A database as the release before tombstones were kept per project left it, with one task deleted.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      'CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    for (const [i, sql] of PG_MIGRATIONS.slice(0, perProject).entries()) {
      await client.query(sql);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [i + 1]);
    }
    await client.query("INSERT INTO projects (id, name, created_at, updated_at) VALUES ('p', 'demo', 'then', 'then')");
    await client.query("INSERT INTO task_tombstones VALUES ('TASK-009', 'p', 1, $1)", [new Date().toISOString()]);
    await client.query("UPDATE store_meta SET value = 1 WHERE key = 'change_seq'");
  } finally {
    await client.end();
  }
  const store = await openPostgresStore({ connectionString: url });
  try {
    expect(await store.changesSince({ projectId: 'p' }, 0)).toMatchObject({ full: false, deletedIds: ['TASK-009'] });
  } finally {
    await store.close();
  }
});

it('a database from before tasks were keyed by project keeps every task, id, dependency and note', async () => {
  const url = await server.createDatabase();
  const keyed = PG_MIGRATIONS.findIndex((m) => m.includes('ADD PRIMARY KEY (project_id, id)'));
  expect(keyed).toBe(5);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      'CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    for (const [i, sql] of PG_MIGRATIONS.slice(0, keyed).entries()) {
      await client.query(sql);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [i + 1]);
    }
    await client.query(STORE_BEFORE_KEYS);
  } finally {
    await client.end();
  }
  const store = await openPostgresStore({ connectionString: url });
  try {
    await expectKeptByProject(store);
  } finally {
    await store.close();
  }
});

it("a database from before per-project sequences keeps its ids and its readers' cursors; projects count apart after", async () => {
  const url = await server.createDatabase();
  const perProject = PG_MIGRATIONS.findIndex((m) => m.includes('CREATE TABLE project_sequences'));
  expect(perProject).toBeGreaterThan(0);
  // The release before left one sequence for the store (at 4), ids handed out across two projects, and a reader of
  // alpha at 3, before its TASK-003 was deleted.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      'CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    for (const [i, sql] of PG_MIGRATIONS.slice(0, perProject).entries()) {
      await client.query(sql);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [i + 1]);
    }
    await client.query(`
      INSERT INTO projects (id, name, created_at, updated_at) VALUES ('pa', 'alpha', 'then', 'then'), ('pb', 'beta', 'then', 'then');
      INSERT INTO tasks (id, project_id, title, status, priority, created_at, updated_at, change_seq) VALUES
        ('TASK-001', 'pa', 'a1', 'todo', 'medium', 'then', 'then', 1),
        ('TASK-002', 'pb', 'b1', 'todo', 'medium', 'then', 'then', 2);
      INSERT INTO id_counters (project_id, artifact_type, last_assigned) VALUES ('pa', 'TASK', 3), ('pb', 'TASK', 2);
      UPDATE store_meta SET value = 4 WHERE key = 'change_seq';
    `);
    await client.query("INSERT INTO task_tombstones VALUES ('TASK-003', 'pa', 4, $1)", [new Date().toISOString()]);
  } finally {
    await client.end();
  }
  const store = await openPostgresStore({ connectionString: url });
  try {
    expect((await store.getTask('TASK-001'))?.title).toBe('a1');
    expect((await store.getTask('TASK-002'))?.title).toBe('b1');
    expect((await store.listingScope({ project: 'alpha' })).sequence).toBe(4);
    expect((await store.listingScope({ project: 'beta' })).sequence).toBe(4);
    expect(await store.changesSince({ projectId: 'pa' }, 3)).toEqual({
      full: false,
      sequence: 4,
      tasks: [],
      deletedIds: ['TASK-003'],
    });
    await store.createTask({ projectId: 'pb', title: 'b2' });
    expect((await store.listingScope({ project: 'alpha' })).sequence).toBe(4);
    expect((await store.listingScope({ project: 'beta' })).sequence).toBe(5);
  } finally {
    await store.close();
  }
});

it('several processes starting at once on one new database migrate it once, and each hears the others’ changes', async () => {
  const url = await server.createDatabase();
  const stores = await Promise.all(
    Array.from({ length: 5 }, () => openPostgresStore({ connectionString: url, maxConnections: 2 })),
  );
  try {
    const heard: string[][] = stores.map(() => []);
    stores.forEach((s, i) => s.subscribeChanges((c) => heard[i]!.push(...c.taskIds)));
    const { project } = await stores[0]!.getOrCreateProject({ name: 'team' });
    const t = await stores[1]!.createTask({ projectId: project.id, title: 'seen everywhere' });
    await expect.poll(() => heard.every((h) => h.includes(t.id))).toBe(true);
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
});

it('tasks export from a SQLite file, then tasks import --db postgres://… moves the store into the team database', async () => {
  const url = await server.createDatabase();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-move-'));
  try {
    const file = path.join(dir, 'tasks.db');
    const local = openTaskDb(file);
    const { project } = local.getOrCreateProject({ name: 'shop' });
    local.createTask({
      projectId: project.id,
      gitBranchId: local.ensureBranch(project.id, 'main').id,
      title: 'carried over',
      priority: 'high',
    });
    local.close();
    const env = { ...process.env, TASKHOOKS_HOME: path.join(dir, 'home'), HOME: dir, NO_COLOR: '1' };
    // The commands' code in this process: what they move and print is their logic.
    const cli = (args: string[]) => runCli(args, { cwd: dir, env });
    const out = path.join(dir, 'export.json');
    expect((await cli(['tasks', 'export', '--db', file, '--out', out])).code).toBe(0);
    expect((await cli(['tasks', 'import', out, '--db', url])).stdout).toContain('Imported from');
    const team = await openPostgresStore({ connectionString: url, maxConnections: 1 });
    try {
      expect((await team.listTasks({})).tasks.map((t) => [t.title, t.priority])).toEqual([['carried over', 'high']]);
    } finally {
      await team.close();
    }
    const refused = await cli(['tasks', 'import', out, '--db', 'postgres://postgres:s3cret-pass@127.0.0.1:1/none']);
    expect(refused).toMatchObject({ code: 1 });
    const stderr = refused.stderr.trim();
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /Cannot open the PostgreSQL task store given by --db: .*check the URL, and that the server is up/,
    );
    expect(stderr).not.toContain('s3cret-pass');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

it('a change feed whose connection drops reconnects, tells every project as changed, and hears later changes', async () => {
  const url = await server.createDatabase();
  const errors: Error[] = [];
  const store = await openPostgresStore({
    connectionString: url,
    maxConnections: 2,
    onFeedError: (e) => errors.push(e),
  });
  try {
    const heard: Array<{ project: string; taskIds: string[] }> = [];
    store.subscribeChanges((c) => heard.push(c));
    const { project } = await store.getOrCreateProject({ name: 'dropped' });
    await expect.poll(() => heard.length).toBe(1);
    heard.length = 0;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const { rows } = await admin.query(
        "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'",
      );
      expect(rows).toEqual([{ ok: true }]);
    } finally {
      await admin.end();
    }
    await expect
      .poll(() => heard.some((c) => c.project === 'dropped' && c.taskIds.length === 0), { timeout: 45_000 })
      .toBe(true);
    const t = await store.createTask({ projectId: project.id, title: 'after the drop' });
    await expect.poll(() => heard.some((c) => c.taskIds.includes(t.id))).toBe(true);
    expect(errors.length).toBeGreaterThan(0);
  } finally {
    await store.close();
  }
}, 90_000);

it('two HTTP servers on one PostgreSQL database: 50 concurrent reserve_id_range give unique ids, 20 concurrent claims one winner', async () => {
  const url = await server.createDatabase();
  const stores = await Promise.all([0, 1].map(() => openPostgresStore({ connectionString: url, maxConnections: 8 })));
  const auth = 'none' as const;
  const servers = await Promise.all(
    stores.map((store) => startHttpServer({ store, log: silentLogger(), auth, rateLimitPerMinute: 100_000 })),
  );
  const clients = await Promise.all(Array.from({ length: 20 }, (_, i) => connectHttp(servers[i % 2]!.url)));
  try {
    const reserved = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const answer = await clients[i % clients.length]!.callTool({
          name: 'reserve_id_range',
          arguments: { artifact_type: 'US', count: 2, project_id: 'team' },
        });
        return (JSON.parse((answer.content as Array<{ text: string }>)[0]!.text) as { reserved_ids: string[] })
          .reserved_ids;
      }),
    );
    expect(new Set(reserved.flat()).size).toBe(100);
    const project = await stores[0]!.getProject('team');
    const task = await stores[1]!.createTask({ projectId: project?.id ?? '', title: 'contested' });
    const answers = await Promise.all(
      clients.map((c, i) =>
        envelope(c, 'manage_task', { action: 'claim', task_id: task.id, claimant: `session-${i}` }),
      ),
    );
    expect(answers.filter((a) => a.success)).toHaveLength(1);
    expect(answers.filter((a) => !a.success).map((a) => a.error.code)).toEqual(Array(19).fill('CLAIMED'));
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(servers.map((s) => s.close()));
    await Promise.all(stores.map((s) => s.close()));
  }
}, 60_000);
