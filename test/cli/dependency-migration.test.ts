// Upgrading a built-in store from before per-project ids, as a person does it: the CLI opens tasks.db, the
// migration runs, and `taskhooks tasks next` answers what the release before answered. Dependencies on another
// project's task stay on that task (a task the project gets later with the same id does not take them over); a store
// the faulty migration already upgraded is repaired, and what cannot be settled `doctor` says once. A CLI killed in
// the middle of the migration leaves the store as it was, with its backup, and the next open migrates it whole.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { homeFiles } from '../../src/home/files.js';
import { openTaskDb } from '../../src/store/index.js';
import { openStoreFile } from '../../src/store/tasks-db/recover.js';
import { TASK_DB_MIGRATIONS } from '../../src/store/schema.js';
import { openSqlite } from '../../src/sqlite/index.js';
import { CLI, jsonOut, runCli, type CliRun } from '../helpers/cli.js';
import { demoProject, hookEnv, ROOT } from '../helpers/hooks.js';
import { captured, KEPT_DEPENDENCIES, NEXT_BEFORE, STORE_BEFORE_PER_PROJECT_IDS } from '../store/cross-project-deps.js';

let shop: ReturnType<typeof demoProject>;
beforeEach(() => {
  shop = demoProject({ name: 'shop', branch: 'main', commits: ['initial'] });
});
afterEach(() => shop.cleanup());

const env = (): NodeJS.ProcessEnv => ({ ...hookEnv(shop.home), HOME: shop.home, NO_COLOR: '1' });
const cli = (args: string[]): Promise<CliRun> => runCli(args, { cwd: shop.repo.dir, env: env() });
const tasksFile = (): string => homeFiles(shop.home).tasks;

/** The store as the release before per-project ids (schema version 8) left it. */
function storeBeforePerProjectIds(): void {
  const { db } = openStoreFile(tasksFile(), TASK_DB_MIGRATIONS.slice(0, 8), {});
  db.exec(STORE_BEFORE_PER_PROJECT_IDS);
  db.close();
}

async function nextTitle(): Promise<string | undefined> {
  const r = await cli(['tasks', 'next']);
  expect(r.code, r.stderr).toBe(0);
  return /^title\s+(.+)$/m.exec(r.stdout)?.[1] ?? r.stdout.trim();
}

const dependenciesOf = async (id: string): Promise<string[]> =>
  jsonOut<{ dependencies: string[] }>(await cli(['tasks', 'show', id, '--json'])).dependencies;

const migrationBackups = (): string[] =>
  readdirSync(homeFiles(shop.home).backups).filter((f) => f.endsWith('-migration.db'));

it('answers the next task the release before did, and a task added later with the same id takes nothing over', async () => {
  storeBeforePerProjectIds();
  expect(await nextTitle()).toBe(NEXT_BEFORE.title);
  expect(migrationBackups()).toHaveLength(1);
  expect(await dependenciesOf('TASK-004')).toEqual(KEPT_DEPENDENCIES['TASK-004']);
  expect(await dependenciesOf('TASK-003')).toEqual(KEPT_DEPENDENCIES['TASK-003']);
  // shop gets its own TASK-001 (not done) and TASK-002 (done): read as shop's, they would block TASK-004 and free
  // the urgent TASK-003.
  const db = openTaskDb(tasksFile());
  try {
    db.createTasks([
      { projectId: 'p-shop', gitBranchId: 'b-shop', id: 'TASK-001', title: 'Shop task one' },
      { projectId: 'p-shop', gitBranchId: 'b-shop', id: 'TASK-002', title: 'Shop task two', status: 'done' },
    ]);
  } finally {
    db.close();
  }
  expect(await nextTitle()).toBe(NEXT_BEFORE.title);
  // api's TASK-002 done frees shop's TASK-003, the urgent one.
  expect((await cli(['tasks', 'done', 'TASK-002', '--project', 'api'])).code).toBe(0);
  expect(await nextTitle()).toBe('Checkout calls the orders API');
  // Deleting api's TASK-001 takes it out of shop's TASK-004, as a deleted task leaves every dependent.
  const after = openTaskDb(tasksFile());
  try {
    after.deleteTask({ projectId: 'p-api', id: 'TASK-001' });
    expect(after.getTask({ projectId: 'p-shop', id: 'TASK-004' })?.dependencies).toEqual([]);
  } finally {
    after.close();
  }
});

it('repairs a store the faulty migration upgraded, and doctor says once what it could not settle', async () => {
  storeBeforePerProjectIds();
  // The release with the faulty migration opened it, then shop got tasks with api's ids.
  const { db } = openStoreFile(tasksFile(), TASK_DB_MIGRATIONS.slice(0, 9), {});
  const keyedAt = (
    db.prepare('SELECT applied_at FROM schema_version WHERE version = 9').get() as { applied_at: number }
  ).applied_at;
  db.exec(captured(new Date(keyedAt + 1000).toISOString(), new Date(keyedAt + 2000).toISOString()));
  db.close();
  expect(await nextTitle()).toBe(NEXT_BEFORE.title);
  // TASK-004 was not edited since shop's TASK-001 came: its dependency is api's again. TASK-003 was: left as it is.
  expect(await dependenciesOf('TASK-004')).toEqual(['p-api/TASK-001']);
  expect(await dependenciesOf('TASK-003')).toEqual(['TASK-002']);
  const doctor = async (): Promise<string> => {
    const r = await runCli(['doctor', '--json'], { cwd: shop.repo.dir, env: env() });
    const steps = (JSON.parse(r.stdout) as { steps: { name: string; detail: string }[] }).steps;
    return steps.find((s) => s.name === 'task store')?.detail ?? `no task store step in ${r.stdout}`;
  };
  const first = await doctor();
  expect(first).toContain('shop TASK-003 depends on TASK-002');
  expect(first).toContain('`p-api/TASK-002`');
  expect(await doctor()).not.toContain('TASK-003');
});

/** `taskhooks tasks next` stopped once a statement holding `marker` ran inside the migration, then killed. */
async function killMidMigration(marker: string): Promise<void> {
  const child = spawn(process.execPath, [CLI, 'tasks', 'next'], {
    cwd: shop.repo.dir,
    env: {
      ...env(),
      NODE_OPTIONS: `--require ${path.join(ROOT, 'test/helpers/sqlite-pause.cjs')}`,
      TASKHOOKS_TEST_PAUSE_AT: marker,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      if (err.includes('paused')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before the pause: ${err}`)));
  });
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
}

for (const [where, marker] of [
  ['after the tables are rebuilt (migration 9)', 'RENAME TO task_notes'],
  ['after the dependencies are rewritten (migration 10)', "WHERE key = 'generation'"],
] as const) {
  it(`a CLI killed ${where} leaves the store as it was and its backup; the next open migrates it whole`, async () => {
    storeBeforePerProjectIds();
    await killMidMigration(marker);
    expect(migrationBackups()).toHaveLength(1);
    const old = openSqlite(tasksFile(), { migrations: [], verify: true });
    try {
      expect(old.prepare('SELECT MAX(version) AS v FROM schema_version').get()).toEqual({ v: 8 });
      expect(old.prepare('SELECT COUNT(*) AS n FROM tasks').get()).toEqual({ n: 4 });
      expect(old.prepare("SELECT 1 FROM sqlite_master WHERE name = 'dependency_doubts'").get()).toBeUndefined();
    } finally {
      old.close();
    }
    expect(await nextTitle()).toBe(NEXT_BEFORE.title);
    expect(await dependenciesOf('TASK-003')).toEqual(KEPT_DEPENDENCIES['TASK-003']);
    // The backup the killed run took is kept beside the one the whole run took.
    expect(migrationBackups()).toHaveLength(2);
  });
}
