// A long-lived server's logs folded off its thread: its commits fold nothing, and a child process folds what is left.
import { statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { foldInBackground, foldInChild } from '../../src/sqlite/checkpoints.js';
import { openSqlite, WAL_FOLD_BYTES, type Db } from '../../src/sqlite/index.js';
import { silentLogger } from '../helpers/cache.js';
import { tempDir } from '../foundation/helpers.js';

let tmp: ReturnType<typeof tempDir>;
const opened: Db[] = [];
beforeEach(() => {
  tmp = tempDir('th-checkpoints-');
});
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  tmp.remove();
});

/** A file whose connection (kept open, as the monitor keeps its own) wrote `rows` rows of 3 KB. */
function written(rows: number, autoCheckpoint: boolean, name = 'x.db'): { file: string; db: Db } {
  const file = path.join(tmp.dir, name);
  const db = openSqlite(file, { migrations: ['CREATE TABLE t (x TEXT)'], autoCheckpoint });
  opened.push(db);
  const insert = db.prepare('INSERT INTO t VALUES (?)');
  for (let i = 0; i < rows; i++) insert.run('x'.repeat(3000));
  return { file, db };
}

/** A transaction larger than the page cache, left open: its frames spill into the log before it commits. */
function spill(db: Db): void {
  db.pragma('cache_size = -1024');
  db.exec('BEGIN');
  const insert = db.prepare('INSERT INTO t VALUES (?)');
  for (let i = 0; i < 3000; i++) insert.run('z'.repeat(3000));
}

// The log is looked at by its size only: this process holds the files open, and reading a -shm here would drop its locks.
const walSize = (file: string): number => statSync(`${file}-wal`).size;

describe('autoCheckpoint', () => {
  it('on (the default), a commit folds the log at 1,000 pages and starts it over; off, no commit does', () => {
    const on = written(1500, true, 'on.db').file;
    const off = written(1500, false, 'off.db').file;
    expect(walSize(on)).toBeLessThan(walSize(off));
    expect(walSize(off)).toBeGreaterThan(1500 * 3000);
  });
});

describe('foldInBackground', () => {
  it('folds a log past its bound in a child process, the writer still open and every row kept', async () => {
    const { file, db } = written(1500, false);
    const folds = foldInBackground({ files: () => [file], log: silentLogger(), everyMs: 60_000 });
    const [result] = await folds.foldNow();
    expect(result).toMatchObject({ file, busy: 0, inFlight: false });
    expect(result && 'log' in result && result.log > 1500 && result.checkpointed === result.log).toBe(true);
    // Not written to since: nothing new to fold, no process started.
    expect(await folds.foldNow()).toEqual([]);
    await folds.close();
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 1500 });
  });

  it('a log the file system stamped later than the clock says is not folded twice', async () => {
    // A write in the millisecond a fold starts bears a later time than Date.now() (which drops the fraction) says.
    const { file } = written(1500, false);
    const ahead = new Date(Date.now() + 2000);
    utimesSync(`${file}-wal`, ahead, ahead);
    const folds = foldInBackground({ files: () => [file], log: silentLogger(), everyMs: 60_000 });
    expect(await folds.foldNow()).toHaveLength(1);
    expect(await folds.foldNow()).toEqual([]);
    await folds.close();
  });

  it('folds no more once a log folded in full is started over: the next commit cuts the file', async () => {
    const { file, db } = written(1500, false);
    const folds = foldInBackground({ files: () => [file], log: silentLogger(), everyMs: 60_000 });
    expect(await folds.foldNow()).toHaveLength(1);
    db.prepare('INSERT INTO t VALUES (?)').run('one more');
    expect(walSize(file)).toBeLessThanOrEqual(WAL_FOLD_BYTES);
    expect(await folds.foldNow()).toEqual([]);
    await folds.close();
  });

  it('looks again at a log it could fold only in part, though nothing was written to it since', async () => {
    const { file, db } = written(1500, false);
    // A reader whose snapshot predates the last 500 rows: no fold may copy those pages over what it reads.
    const reader = openSqlite(file, { migrations: ['CREATE TABLE t (x TEXT)'], autoCheckpoint: false });
    opened.push(reader);
    reader.exec('BEGIN');
    expect(reader.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 1500 });
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    for (let i = 0; i < 500; i++) insert.run('y'.repeat(3000));
    const folds = foldInBackground({ files: () => [file], log: silentLogger(), everyMs: 60_000 });
    const [part] = await folds.foldNow();
    expect(part && 'log' in part && part.checkpointed < part.log).toBe(true);
    reader.exec('COMMIT');
    const [rest] = await folds.foldNow();
    expect(rest && 'log' in rest && rest.checkpointed === rest.log).toBe(true);
    await folds.close();
  });

  it('looks again at a log whose transaction was still being written, though its last write predates the fold', async () => {
    const { file, db } = written(1500, false);
    spill(db);
    const folds = foldInBackground({ files: () => [file], log: silentLogger(), everyMs: 60_000 });
    const [first] = await folds.foldNow();
    expect(first).toMatchObject({ busy: 0, inFlight: true });
    expect(first && 'log' in first && first.checkpointed === first.log).toBe(true);
    // Nothing written since, and still looked at: the commit may become readable after its last write.
    const [again] = await folds.foldNow();
    expect(again).toMatchObject({ inFlight: true });
    db.exec('COMMIT');
    const [done] = await folds.foldNow();
    expect(done).toMatchObject({ busy: 0, inFlight: false });
    expect(done && 'log' in done && first && 'log' in first && done.log > first.log).toBe(true);
    expect(done && 'log' in done && done.checkpointed === done.log).toBe(true);
    expect(await folds.foldNow()).toEqual([]);
    await folds.close();
  });

  it("takes a rollback's frames left in the log for settled once a fold's timeout has passed since the last write", async () => {
    const { file, db } = written(1500, false);
    spill(db);
    db.exec('ROLLBACK');
    const folds = foldInBackground({ files: () => [file], log: silentLogger(), everyMs: 60_000 });
    expect(await folds.foldNow()).toEqual([expect.objectContaining({ inFlight: true })]);
    const longAgo = new Date(Date.now() - 10 * 60_000);
    utimesSync(`${file}-wal`, longAgo, longAgo);
    expect(await folds.foldNow()).toEqual([expect.objectContaining({ inFlight: true })]);
    expect(await folds.foldNow()).toEqual([]);
    await folds.close();
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 1500 });
  });

  it('starts no process for a log under its bound', async () => {
    const { file } = written(10, false);
    const folds = foldInBackground({ files: () => [file], log: silentLogger(), everyMs: 60_000 });
    expect(await folds.foldNow()).toEqual([]);
    await folds.close();
  });

  it('says why a file could not be folded, and folds the others', async () => {
    const { file } = written(1500, false);
    const results = await foldInChild([path.join(tmp.dir, 'gone.db'), file]);
    expect(results).toEqual([
      { file: path.join(tmp.dir, 'gone.db'), error: expect.stringContaining('unable to open database file') },
      expect.objectContaining({ file, busy: 0 }),
    ]);
  });
});
