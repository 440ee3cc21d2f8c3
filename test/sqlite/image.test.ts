// A database read where nothing may be written: its bytes copied into memory, with what its write-ahead log holds.
import { copyFileSync, existsSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openImage, openSqlite, readImage, type Db } from '../../src/sqlite/index.js';
import { tempDir } from '../foundation/helpers.js';

let tmp: ReturnType<typeof tempDir>;
const migrations = [(db: Db) => db.exec('CREATE TABLE t (x INTEGER)')];
const count = (db: Db): number => (db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;

beforeEach(() => {
  tmp = tempDir('th-image-');
});
afterEach(() => tmp.remove());

describe('readImage and openImage', () => {
  it('read a closed file as it is, and what a copy writes stays in memory', () => {
    const file = path.join(tmp.dir, 'c.db');
    const db = openSqlite(file, { migrations });
    db.prepare('INSERT INTO t VALUES (1), (2)').run();
    db.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const before = readFileSync(file);
    const copy = openImage(readImage(file), migrations);
    expect(count(copy)).toBe(2);
    copy.prepare('INSERT INTO t VALUES (3)').run();
    expect(count(copy)).toBe(3);
    copy.close();
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('read the commits a write-ahead log holds while another connection has it open', () => {
    const file = path.join(tmp.dir, 'c.db');
    const writer = openSqlite(file, { migrations });
    writer.prepare('INSERT INTO t VALUES (1), (2), (3)').run();
    try {
      expect(existsSync(`${file}-wal`) && existsSync(`${file}-shm`)).toBe(true);
      const copy = openImage(readImage(file), migrations);
      expect(count(copy)).toBe(3);
      copy.close();
    } finally {
      writer.close();
    }
  });

  it('refuse a write-ahead log without its -shm, in one line, rather than read the file without it', () => {
    const file = path.join(tmp.dir, 'c.db');
    const writer = openSqlite(file, { migrations });
    writer.prepare('INSERT INTO t VALUES (1)').run();
    copyFileSync(`${file}-wal`, path.join(tmp.dir, 'kept-wal'));
    writer.close();
    renameSync(path.join(tmp.dir, 'kept-wal'), `${file}-wal`);
    expect(() => readImage(file)).toThrow(/its write-ahead log cannot be read without c\.db-shm/);
  });

  it('open an empty database, migrated, when there is no image', () => {
    const copy = openImage(undefined, migrations);
    expect(count(copy)).toBe(0);
    copy.close();
  });
});
