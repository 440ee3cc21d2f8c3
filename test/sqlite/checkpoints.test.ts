// A long-lived server's logs folded off its thread: its commits fold nothing, and a child process folds what is left.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { foldInBackground } from '../../src/sqlite/checkpoints.js';
import { openSqlite, type Db } from '../../src/sqlite/index.js';
import { unfoldedWalFrames } from '../../src/sqlite/wal.js';
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
function written(rows: number, autoCheckpoint: boolean): { file: string; db: Db } {
  const file = path.join(tmp.dir, 'x.db');
  const db = openSqlite(file, { migrations: ['CREATE TABLE t (x TEXT)'], autoCheckpoint });
  opened.push(db);
  const insert = db.prepare('INSERT INTO t VALUES (?)');
  for (let i = 0; i < rows; i++) insert.run('x'.repeat(3000));
  return { file, db };
}

describe('autoCheckpoint', () => {
  it('on (the default), a commit folds the log once it holds 1,000 pages; off, no commit does', () => {
    expect(unfoldedWalFrames(written(1500, true).file)).toBeLessThan(1000);
    opened.splice(0).forEach((db) => db.close());
    tmp.remove();
    tmp = tempDir('th-checkpoints-');
    expect(unfoldedWalFrames(written(1500, false).file)).toBeGreaterThan(1500);
  });
});

describe('foldInBackground', () => {
  it('folds a log past its bound in a child process, the writer still open and every row kept', async () => {
    const { file, db } = written(1500, false);
    const folds = foldInBackground({ files: () => [file], log: silentLogger(), everyMs: 60_000 });
    const [result] = await folds.foldNow();
    await folds.close();
    expect(result).toMatchObject({ file, busy: 0 });
    expect(result && 'log' in result && result.checkpointed === result.log).toBe(true);
    expect(unfoldedWalFrames(file)).toBe(0);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 1500 });
    // The next commit starts the log over, as after any complete fold.
    db.prepare('INSERT INTO t VALUES (?)').run('y');
    expect(unfoldedWalFrames(file)).toBeLessThan(10);
  });

  it('starts no process for a log under its bound', async () => {
    const { file } = written(10, false);
    const folds = foldInBackground({ files: () => [file], log: silentLogger(), everyMs: 60_000 });
    expect(await folds.foldNow()).toEqual([]);
    await folds.close();
    expect(unfoldedWalFrames(file)).toBeGreaterThan(10);
  });

  it('says why a file could not be folded, and folds the others', async () => {
    const { file } = written(1500, false);
    const missing = path.join(tmp.dir, 'gone.db');
    const folds = foldInBackground({
      files: () => [missing, file],
      log: silentLogger(),
      everyMs: 60_000,
      minFrames: 0,
    });
    const results = await folds.foldNow();
    await folds.close();
    expect(results).toEqual([
      { file: missing, error: expect.stringContaining('unable to open database file') },
      expect.objectContaining({ file, busy: 0 }),
    ]);
  });
});
