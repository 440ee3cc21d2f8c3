// The seam over both SQLite libraries behaves as better-sqlite3 does where taskhooks relies on it. Runs on the library
// the environment picks: better-sqlite3 on Node 20, node:sqlite under `npm run test:node-sqlite` (Node 24).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, sqliteDriver, type Db } from '../../src/sqlite/index.js';

const opened: Db[] = [];
const dirs: string[] = [];
function memory(): Db {
  const db = openDatabase(':memory:');
  opened.push(db);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL)');
  return db;
}

afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the SQLite seam', () => {
  it('uses the library TASKHOOKS_SQLITE names, else node:sqlite where this Node has it', () => {
    const driver = sqliteDriver();
    const wanted = process.env.TASKHOOKS_SQLITE;
    const hasNode = process.getBuiltinModule?.('node:sqlite') !== undefined;
    expect(driver).toEqual({ name: wanted || (hasNode ? 'node' : 'better-sqlite3') });
  });

  it('binds positional and named values, and reads rows and pragmas', () => {
    const db = memory();
    expect(db.prepare('INSERT INTO t (name) VALUES (?)').run('a')).toMatchObject({ changes: 1, lastInsertRowid: 1 });
    db.prepare('INSERT INTO t (name) VALUES (@name)').run({ name: 'b' });
    expect(db.prepare('SELECT name FROM t ORDER BY id').all()).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(db.prepare('SELECT name FROM t WHERE id = ?').get(9)).toBeUndefined();
    expect([...db.prepare('SELECT id FROM t ORDER BY id').iterate()]).toEqual([{ id: 1 }, { id: 2 }]);
    db.pragma('user_version = 7');
    expect(db.pragma('user_version', { simple: true })).toBe(7);
    expect(db.pragma('table_info(t)')).toHaveLength(2);
  });

  it('commits a transaction, rolls back one that throws, and nests a savepoint that undoes only its part', () => {
    const db = memory();
    const insert = db.prepare('INSERT INTO t (name) VALUES (?)');
    const inner = db.transaction((name: string) => insert.run(name));
    const outer = db.transaction((names: string[]) => {
      insert.run('outer');
      for (const n of names) {
        try {
          inner(n);
        } catch {
          // a duplicate: its savepoint is undone, the rest stays
        }
      }
      expect(db.inTransaction).toBe(true);
    });
    outer.immediate(['x', 'x', 'y']);
    expect(db.inTransaction).toBe(false);
    expect(db.prepare('SELECT name FROM t ORDER BY id').all()).toEqual([
      { name: 'outer' },
      { name: 'x' },
      { name: 'y' },
    ]);
    expect(() =>
      db.transaction(() => {
        insert.run('z');
        throw new Error('undo');
      })(),
    ).toThrow('undo');
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 3 });
  });

  it('names SQLite’s errors as better-sqlite3 does', () => {
    const db = memory();
    db.prepare('INSERT INTO t (name) VALUES (?)').run('a');
    expect(() => db.prepare('INSERT INTO t (name) VALUES (?)').run('a')).toThrow(
      expect.objectContaining({ code: 'SQLITE_CONSTRAINT_UNIQUE' }),
    );
    const dir = mkdtempSync(path.join(os.tmpdir(), 'th-driver-'));
    dirs.push(dir);
    expect(() => openDatabase(path.join(dir, 'missing.db'), { fileMustExist: true })).toThrow(
      expect.objectContaining({ code: 'SQLITE_CANTOPEN' }),
    );
    expect(() => openDatabase(dir)).toThrow(
      expect.objectContaining({ code: expect.stringMatching(/^SQLITE_CANTOPEN/) }),
    );
  });
});
