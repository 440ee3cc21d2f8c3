// The one SQLite opener: what it reports as damage, and that it never moves or recreates a file by itself.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DamagedStoreError } from '../../src/errors/damaged-store.js';
import { openTaskDb } from '../../src/server/index.js';
import { DamagedDatabaseError, foldLargeWal, openSqlite, quarantine } from '../../src/sqlite/index.js';
import { modeOf, tempDir } from '../foundation/helpers.js';

let tmp: ReturnType<typeof tempDir>;
const garbage = Buffer.from('this is not a database, just bytes '.repeat(200));
const noMigrations = { migrations: [] };

beforeEach(() => {
  tmp = tempDir('th-sqlite-');
});

afterEach(() => {
  tmp.remove();
});

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('openSqlite', () => {
  it('garbage bytes: a DamagedDatabaseError naming the file, the bytes left as they were', () => {
    const file = path.join(tmp.dir, 'x.db');
    writeFileSync(file, garbage);
    const err = thrown(() => openSqlite(file, noMigrations));
    expect(err).toBeInstanceOf(DamagedDatabaseError);
    expect(err).toMatchObject({ file, damage: 'corrupt', cause: { code: 'SQLITE_NOTADB' } });
    expect((err as Error).message).toBe(`${file}: file is not a database`);
    expect(readFileSync(file).equals(garbage)).toBe(true);
    expect(readdirSync(tmp.dir)).toEqual(['x.db']);
  });

  it('a directory at the path is damage of its own kind', () => {
    const file = path.join(tmp.dir, 'x.db');
    mkdirSync(file);
    expect(thrown(() => openSqlite(file, noMigrations))).toMatchObject({ file, damage: 'not-a-file' });
  });

  it('privateFile creates missing folders 0700 and the file 0600, in WAL mode, migrated', () => {
    const file = path.join(tmp.dir, 'a', 'b', 'x.db');
    const db = openSqlite(file, { migrations: [(d) => d.exec('CREATE TABLE t (v)')], privateFile: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_version').get()).toEqual({ v: 1 });
    db.close();
    expect(modeOf(path.dirname(file))).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
  });

  it('quarantine moves the file and its -wal/-shm aside together and deletes nothing', () => {
    const file = path.join(tmp.dir, 'x.db');
    for (const suffix of ['', '-wal', '-shm']) writeFileSync(file + suffix, `content${suffix}`);
    const aside = quarantine(file);
    expect(existsSync(file)).toBe(false);
    for (const suffix of ['', '-wal', '-shm']) expect(readFileSync(aside + suffix, 'utf8')).toBe(`content${suffix}`);
  });
});

describe('the task store on a damaged file', () => {
  it('outside a state directory (no backups): refuses with the file named and leaves it where it is', () => {
    const file = path.join(tmp.dir, 'tasks.db');
    writeFileSync(file, garbage);
    const err = thrown(() => openTaskDb(file));
    expect(err).toBeInstanceOf(DamagedStoreError);
    expect(err).toMatchObject({ file, short: 'file is not a database' });
    expect((err as Error).message).toBe(`Task store ${file} is damaged (file is not a database) and was left as it is`);
    expect((err as DamagedStoreError).fix).toMatch(/^no backups are kept for a store outside the state directory: /);
    expect(readFileSync(file).equals(garbage)).toBe(true);
    expect(readdirSync(tmp.dir)).toEqual(['tasks.db']);
  });
});

describe('foldLargeWal', () => {
  const walSize = (file: string): number => statSync(`${file}-wal`).size;
  const opened: Array<{ close(): unknown }> = [];
  afterEach(() => {
    for (const db of opened.splice(0)) db.close();
  });
  /** `rows` rows written to a store left open, as the CLI's writes leave it: the log holds them all. */
  function leftOpen(file: string, rows: number): void {
    const db = openSqlite(file, { migrations: ['CREATE TABLE t (x TEXT)'] });
    opened.push(db);
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    for (let i = 0; i < rows; i++) insert.run('x'.repeat(3000));
    expect(walSize(file)).toBeGreaterThan(rows * 3000);
  }

  it('keeps a log under its bound as it is, and folds one past it into the file, every row kept', () => {
    const file = path.join(tmp.dir, 'x.db');
    leftOpen(file, 40);
    const db = openSqlite(file, noMigrations);
    expect(foldLargeWal(db, file, 10 * 1024 * 1024)).toBe(false);
    expect(walSize(file)).toBeGreaterThan(40 * 3000);
    expect(foldLargeWal(db, file, 64 * 1024)).toBe(true);
    expect(walSize(file)).toBe(0);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 40 });
    db.close();
    const again = openSqlite(file, noMigrations);
    expect(again.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 40 });
    again.close();
  });

  it('never waits for a reader elsewhere: the log stays as it is and the busy timeout as it was', () => {
    const file = path.join(tmp.dir, 'x.db');
    leftOpen(file, 40);
    const db = openSqlite(file, { ...noMigrations, busyTimeoutMs: 60_000 });
    const reader = openSqlite(file, noMigrations);
    reader.exec('BEGIN');
    reader.prepare('SELECT COUNT(*) FROM t').get();
    const before = walSize(file);
    expect(foldLargeWal(db, file, 64 * 1024)).toBe(false);
    expect(walSize(file)).toBe(before);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(60_000);
    reader.exec('COMMIT');
    expect(foldLargeWal(db, file, 64 * 1024)).toBe(true);
    reader.close();
    db.close();
  });
});
