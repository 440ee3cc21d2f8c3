// The file a connection holds: statements kept until a reopen, a file put at the path in its place noticed, a file
// gone from the path not, and a reopen naming the projects of both stores. Real files in a temp dir.
import { renameSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HeldFile } from '../../src/store/tasks-db/held-file.js';
import { tempDir } from '../foundation/helpers.js';

let tmp: ReturnType<typeof tempDir>;
const held: HeldFile[] = [];

beforeEach(() => {
  tmp = tempDir('th-held-');
});

afterEach(() => {
  for (const h of held.splice(0)) h.close();
  tmp.remove();
});

function hold(name: string, project?: string): HeldFile {
  const h = new HeldFile(path.join(tmp.dir, name), {});
  held.push(h);
  if (project)
    h.statement("INSERT INTO projects (id, name, description, created_at, updated_at) VALUES (?, ?, '', '', '')").run(
      `${project}-id`,
      project,
    );
  return h;
}

describe('HeldFile', () => {
  it('prepares a statement once and again after a reopen, on the new database', () => {
    const h = hold('tasks.db', 'web');
    const first = h.statement('SELECT name FROM projects');
    expect(h.statement('SELECT name FROM projects')).toBe(first);
    const before = h.db;
    expect(h.reopen('a test')).toEqual(['web']);
    expect(h.db).not.toBe(before);
    expect(before.open).toBe(false);
    expect(h.statement('SELECT name FROM projects')).not.toBe(first);
    expect(h.statement('SELECT name FROM projects').all()).toEqual([{ name: 'web' }]);
  });

  it('notices another file at its path, and names the projects of both stores on the reopen', () => {
    const h = hold('tasks.db', 'web');
    const other = hold('other.db', 'api');
    other.close();
    expect(h.replaced()).toBe(false);
    // The held store's -wal stays at the path and would be read with the new file: emptied first, so only it is read.
    h.db.pragma('wal_checkpoint(TRUNCATE)');
    renameSync(other.file, h.file);
    expect(h.replaced()).toBe(true);
    expect(h.reopen('restored').sort()).toEqual(['api', 'web']);
    expect(h.replaced()).toBe(false);
  });

  it('keeps the store it holds when the file is gone from the path', () => {
    const h = hold('tasks.db', 'web');
    renameSync(h.file, path.join(tmp.dir, 'aside.db'));
    expect(h.replaced()).toBe(false);
  });

  it('closes for good: closed, and its database shut', () => {
    const h = hold('tasks.db');
    h.close();
    expect(h.closed).toBe(true);
    expect(h.db.open).toBe(false);
  });
});
