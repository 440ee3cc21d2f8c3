// The cache's migrations: an empty file, a version-1 file and a current one each end as a current database.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../src/sqlite/index.js';
import { MIGRATIONS } from '../../src/cache/migrations.js';
import { kvGet, kvSet } from '../../src/cache/kv.js';
import { readSnapshot } from '../../src/cache/snapshots.js';
import { readBreaker, writeBreaker } from '../../src/cache/breakers.js';

import { task } from '../helpers/hooks.js';
import { cacheEachTest, T0 } from '../helpers/cache.js';

const state = cacheEachTest();

describe('migrations', () => {
  const versions = (file: string): number[] => {
    const db = openDatabase(file, { readonly: true });
    try {
      return (
        db.prepare('SELECT version FROM schema_version ORDER BY version').all() as Array<{ version: number }>
      ).map((r) => r.version);
    } finally {
      db.close();
    }
  };

  it('an empty file becomes a current database', () => {
    writeFileSync(path.join(state.home, 'cache.db'), '');
    const s = state.open();
    kvSet(s, 'k', 'v');
    expect(kvGet(s, 'k')).toBe('v');
    s.close();
    expect(versions(path.join(state.home, 'cache.db'))).toEqual(
      Array.from({ length: MIGRATIONS.length }, (_, i) => i + 1),
    );
  });

  it('a version-1 file is migrated forward and keeps its data', () => {
    expect(MIGRATIONS.length).toBeGreaterThan(1);
    const file = path.join(state.home, 'cache.db');
    const old = openDatabase(file);
    migrate(old, MIGRATIONS.slice(0, 1));
    old
      .prepare('INSERT INTO kv (key, value, expires_at, updated_at) VALUES (?, ?, NULL, ?)')
      .run('kept', JSON.stringify({ v: 1 }), T0);
    old
      .prepare(
        'INSERT INTO task_snapshots (source_key, project, branch, fetched_at, source, tasks, next_task, note) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)',
      )
      .run('k', 'p', 'main', T0, 'k', JSON.stringify([task('T-1')]));
    old.close();
    expect(versions(file)).toEqual([1]);
    const s = state.open();
    expect(versions(file)).toEqual(Array.from({ length: MIGRATIONS.length }, (_, i) => i + 1));
    expect(kvGet(s, 'kept')).toEqual({ v: 1 });
    expect(readSnapshot(s, { sourceKey: 'k', project: 'p', branch: 'main' })).toMatchObject({
      tasks: [task('T-1')],
      fetchedAt: T0,
    });
    expect(readSnapshot(s, { sourceKey: 'k', project: 'p', branch: 'main' })?.lastError).toBeUndefined();
    s.write(() => writeBreaker(s, { server: 'x', state: 'open', failures: 1 }));
    expect(readBreaker(s, 'x').state).toBe('open');
  });

  it('MIGRATIONS[0] alone gives the version-1 tables the test above starts from', () => {
    const db = openDatabase(':memory:');
    db.exec(MIGRATIONS[0] ?? '');
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>
    ).map((r) => r.name);
    expect(tables).toEqual(['git_state', 'kv', 'oauth_tokens', 'session_injections', 'task_snapshots']);
    db.close();
  });

  it('reopening a current database changes nothing', () => {
    const s = state.open();
    kvSet(s, 'k', 'v');
    s.close();
    const again = state.open();
    expect(kvGet(again, 'k')).toBe('v');
    again.close();
    expect(versions(path.join(state.home, 'cache.db'))).toHaveLength(MIGRATIONS.length);
  });
});
