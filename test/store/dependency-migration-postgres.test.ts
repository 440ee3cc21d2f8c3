// Upgrading a team's PostgreSQL store from before per-project ids: `taskhooks serve` (the built CLI) migrates it, and
// `taskhooks tasks next` through it answers what the release before answered; dependencies on another project's task
// stay on it, a store migration 6 already upgraded is repaired, and a serve killed inside the migration leaves the
// database as it was, migrated whole by the next start.
import { spawn } from 'node:child_process';
import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { PG_MIGRATIONS } from '../../src/store/postgres/schema.js';
import { runCli } from '../helpers/cli.js';
import { makeRepo, type TempRepo } from '../helpers/git.js';
import { hookEnv, tempHome } from '../helpers/hooks.js';
import { postgresForFile } from '../helpers/postgres.js';
import { CLI, freePort, postToolCall, startServe, type ServeProcess } from '../helpers/serve.js';
import { captured, KEPT_DEPENDENCIES, NEXT_BEFORE, STORE_BEFORE_PER_PROJECT_IDS } from './cross-project-deps.js';

const TOKEN = 'dependency-migration-token-0123456789abcdef';
const server = postgresForFile();
let repo: TempRepo;
let home: { home: string; cleanup(): void };
const serves: ServeProcess[] = [];
beforeEach(() => {
  repo = makeRepo({ name: 'shop', branch: 'main', commits: ['initial'] });
  home = tempHome();
});
afterEach(async () => {
  for (const s of serves.splice(0)) await s.kill('SIGTERM');
  repo.cleanup();
  home.cleanup();
});

/** Runs `sql` on the database at `url`, and what `fn` does with the client, then disconnects. */
async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new database as a release with the first `version` migrations left it, holding the store before per-project ids. */
async function databaseAt(version: number, before = 5): Promise<string> {
  const url = await server.createDatabase();
  await withClient(url, async (c) => {
    await c.query(
      'CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    for (const [i, sql] of PG_MIGRATIONS.slice(0, version).entries()) {
      await c.query(sql);
      await c.query('INSERT INTO schema_migrations (version) VALUES ($1)', [i + 1]);
      if (i + 1 === before) await c.query(STORE_BEFORE_PER_PROJECT_IDS);
    }
  });
  return url;
}

async function serve(url: string): Promise<ServeProcess> {
  const s = await startServe(home.home, ['--database', url, '--token', TOKEN]);
  serves.push(s);
  return s;
}

const cli = (s: ServeProcess, args: string[]) =>
  runCli(args, {
    cwd: repo.dir,
    env: { ...hookEnv(home.home, { MCP_SERVER_URL: s.url, MCP_API_TOKEN: TOKEN }), HOME: home.home, NO_COLOR: '1' },
  });

async function nextTitle(s: ServeProcess): Promise<string | undefined> {
  const r = await cli(s, ['tasks', 'next', '--project', 'shop', '--branch', 'main']);
  expect(r.code, r.stderr).toBe(0);
  return /^title\s+(.+)$/m.exec(r.stdout)?.[1] ?? r.stdout.trim();
}

const dependencies = async (url: string): Promise<Record<string, string[]>> =>
  withClient(url, async (c) => {
    const { rows } = await c.query<{ id: string; dependencies: string[] }>(
      "SELECT id, dependencies FROM tasks WHERE project_id = 'p-shop' AND id IN ('TASK-003', 'TASK-004') ORDER BY id",
    );
    return Object.fromEntries(rows.map((r) => [r.id, r.dependencies]));
  });

it('answers the next task the release before did, and a task added later with the same id takes nothing over', async () => {
  const url = await databaseAt(5);
  const s = await serve(url);
  expect(await nextTitle(s)).toBe(NEXT_BEFORE.title);
  expect(await dependencies(url)).toEqual(KEPT_DEPENDENCIES);
  const added = await postToolCall(s.url, TOKEN, 'add_task', {
    tasks: [
      { task_id: 'TASK-001', project_id: 'shop', title: 'Shop task one' },
      { task_id: 'TASK-002', project_id: 'shop', title: 'Shop task two', status: 'completed' },
    ],
  });
  expect(JSON.stringify(added)).toContain('TASK-002');
  expect(await nextTitle(s)).toBe(NEXT_BEFORE.title);
  expect((await cli(s, ['tasks', 'done', 'TASK-002', '--project', 'api'])).code).toBe(0);
  expect(await nextTitle(s)).toBe('Checkout calls the orders API');
});

it('repairs a database migration 6 already upgraded; serve says once what it cannot settle', async () => {
  const url = await databaseAt(6);
  await withClient(url, async (c) => {
    const { rows } = await c.query<{ at: Date }>('SELECT applied_at AS at FROM schema_migrations WHERE version = 6');
    const at = rows[0]?.at.getTime() ?? 0;
    await c.query(captured(new Date(at + 1000).toISOString(), new Date(at + 2000).toISOString()));
  });
  const s = await serve(url);
  expect(await nextTitle(s)).toBe(NEXT_BEFORE.title);
  expect(await dependencies(url)).toEqual({ 'TASK-003': ['TASK-002'], 'TASK-004': ['p-api/TASK-001'] });
  // serve says once what it could not settle, with the fix; the next start does not.
  expect(s.stdout()).toContain('shop TASK-003 depends on TASK-002');
  expect(s.stdout()).toContain('`p-api/TASK-002`');
  expect((await serve(url)).stdout()).not.toContain('TASK-003');
});

/**
 * `taskhooks serve` started on `url` while this test holds `lock` in an open transaction, killed once its migration
 * waits on that lock (inside the migration's transaction), and the lock then released.
 */
async function killWaitingOn(url: string, lock: { table: string; mode: string }): Promise<void> {
  const holder = new pg.Client({ connectionString: url });
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query(`LOCK TABLE ${lock.table} IN ${lock.mode} MODE`);
    const port = await freePort();
    const child = spawn(process.execPath, [CLI, 'serve', '--port', String(port), '--database', url, '--token', TOKEN], {
      env: hookEnv(home.home),
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_c, signal) => resolve(signal)));
    const waiting = `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = '${lock.table}'::regclass`;
    while ((await holder.query<{ n: number }>(waiting)).rows[0]?.n === 0) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    await holder.query('COMMIT');
    // The killed process's backend finds its client gone once the lock is free, and rolls the migration back.
    const others =
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()';
    while ((await holder.query<{ n: number }>(others)).rows[0]?.n !== 0) await new Promise((r) => setTimeout(r, 50));
  } finally {
    await holder.end();
  }
}

for (const [where, lock] of [
  ['inside migration 6 (its notes altered, tasks not yet)', { table: 'tasks', mode: 'ACCESS SHARE' }],
  ['inside migration 7 (after 6, before the dependencies are rewritten)', { table: 'store_meta', mode: 'SHARE' }],
] as const) {
  it(`a serve killed ${where} leaves the database as it was; the next start migrates it whole`, async () => {
    const url = await databaseAt(5);
    await killWaitingOn(url, lock);
    await withClient(url, async (c) => {
      expect((await c.query('SELECT MAX(version) AS v FROM schema_migrations')).rows).toEqual([{ v: 5 }]);
      expect((await c.query('SELECT count(*)::int AS n FROM tasks')).rows).toEqual([{ n: 4 }]);
      const notesKeyed =
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'task_notes' AND column_name = 'project_id'";
      expect((await c.query(notesKeyed)).rows).toEqual([]);
      expect((await c.query("SELECT to_regclass('dependency_doubts') AS t")).rows).toEqual([{ t: null }]);
    });
    const s = await serve(url);
    expect(await nextTitle(s)).toBe(NEXT_BEFORE.title);
    expect(await dependencies(url)).toEqual(KEPT_DEPENDENCIES);
  });
}
