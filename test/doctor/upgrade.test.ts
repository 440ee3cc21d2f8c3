// doctor tells of an upgrade it finds: tasks.db and cache.db a newer build moved to its schema are named with their
// schemas, when, and where the store's copy from before is; a file created at its schema says nothing of one.
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/cache/migrations.js';
import { TASK_DB_MIGRATIONS } from '../../src/store/schema.js';
import { lastUpgrade, openSqlite, type Migration } from '../../src/sqlite/index.js';
import { tempDir } from '../foundation/helpers.js';
import { makeWorld, type World } from '../install/cli.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
  chmodSync(w.thHome, 0o700);
});
afterEach(() => w.cleanup());

const HOUR = 3600_000;

/** A file at all but the last of `migrations`, made `agoMs` ago, as the earlier build left it. */
function olderFile(file: string, migrations: readonly Migration[], agoMs: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = openSqlite(file, { migrations: migrations.slice(0, -1) });
  db.prepare('UPDATE schema_version SET applied_at = ?').run(Date.now() - agoMs);
  db.close();
}

function detailOf(name: string): string {
  const r = w.run(['doctor', '--json']);
  const { steps } = JSON.parse(r.stdout) as { steps: Array<{ name: string; detail: string }> };
  return steps.find((s) => s.name === name)?.detail ?? `no ${name} step in ${r.stdout}${r.stderr}`;
}

it('names the schemas tasks.db moved between, and the backup that holds it as it was', () => {
  olderFile(path.join(w.thHome, 'tasks.db'), TASK_DB_MIGRATIONS, 30 * 24 * HOUR);
  const n = TASK_DB_MIGRATIONS.length;
  expect(detailOf('task store')).toMatch(
    new RegExp(
      `^upgraded: tasks\\.db moved from schema ${n - 1} to ${n} \\d+ (ms|s) ago, by the first run of this taskhooks; the store as it was: .*backups/tasks-.*-migration\\.db$`,
      'm',
    ),
  );
});

it('names the upgrade of cache.db too, and none for files created at their schema', () => {
  olderFile(path.join(w.thHome, 'cache.db'), MIGRATIONS, 30 * 24 * HOUR);
  expect(detailOf('state dir and cache')).toMatch(
    new RegExp(`^upgraded: cache\\.db moved from schema ${MIGRATIONS.length - 1} to ${MIGRATIONS.length} `, 'm'),
  );
  expect(detailOf('task store')).not.toContain('upgraded');
});

it('reads an upgrade from the versions a file records: none at creation, the last run past version 1', () => {
  const tmp = tempDir('th-upgrade-');
  try {
    const file = path.join(tmp.dir, 'x.db');
    const steps = ['CREATE TABLE a (x)', 'CREATE TABLE b (x)', 'CREATE TABLE c (x)'];
    const db = openSqlite(file, { migrations: steps });
    expect(lastUpgrade(db)).toBeUndefined();
    db.prepare('UPDATE schema_version SET applied_at = applied_at - ? WHERE version < 3').run(2 * HOUR);
    expect(lastUpgrade(db)).toMatchObject({ from: 2, to: 3 });
    db.close();
  } finally {
    tmp.remove();
  }
});
