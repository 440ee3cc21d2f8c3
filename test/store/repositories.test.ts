// Which project a repository is, as the built-in store records it: by identity, numbered when another repository
// took the folder's name first, kept across an identity's change, followed through a project's rename.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTaskDb, type TaskDb } from '../../src/store/index.js';
import type { RepositorySighting } from '../../src/store/types.js';
import { openStoreFile } from '../../src/store/tasks-db/recover.js';
import { TASK_DB_MIGRATIONS } from '../../src/store/schema.js';

const undo: Array<() => void> = [];
afterEach(() => {
  for (const u of undo.splice(0).reverse()) u();
});

function storeFile(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-repositories-'));
  undo.push(() => rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'tasks.db');
}

function open(file = storeFile()): TaskDb {
  const db = openTaskDb(file);
  undo.push(() => db.close());
  return db;
}

/** A repository seen in `seenIn`, with what the store is told of it; by default every other one is still there. */
const seen = (
  db: TaskDb,
  repository: string,
  folder: string,
  more: Partial<RepositorySighting> = {},
): ReturnType<TaskDb['projectOfRepository']> =>
  db.projectOfRepository({ repository, folder, seenIn: `/work/${folder}/.git`, isOther: () => true, ...more });

describe('projectOfRepository', () => {
  it('names a repository once, by its first folder, whatever folder it is seen in since', () => {
    const db = open();
    expect(db.knownRepository('github.com/acme/shop')).toBeUndefined();
    expect(seen(db, 'github.com/acme/shop', 'shop').name).toBe('shop');
    expect(seen(db, 'github.com/acme/shop', 'shop-renamed').name).toBe('shop');
    expect(db.knownRepository('github.com/acme/shop')).toEqual({
      repository: 'github.com/acme/shop',
      project: 'shop',
      seenIn: '/work/shop-renamed/.git',
    });
  });

  it('numbers the name of a second repository first seen under a folder name another has', () => {
    const db = open();
    expect(seen(db, 'github.com/acme/shop', 'shop').name).toBe('shop');
    expect(seen(db, 'commit:1111', 'shop').name).toBe('shop-2');
    expect(seen(db, 'gitlab.com/bob/shop', 'shop').name).toBe('shop-3');
    expect(seen(db, 'commit:1111', 'shop').name).toBe('shop-2');
  });

  it('keeps the project of a repository known by its first commit once it has an origin', () => {
    const db = open();
    expect(seen(db, 'commit:abcd', 'notes', { firstCommit: 'commit:abcd' }).name).toBe('notes');
    expect(seen(db, 'github.com/me/notes', 'notes-moved', { firstCommit: 'commit:abcd' }).name).toBe('notes');
  });

  it('records the first commit beside the origin, and finds the project by it for another origin', () => {
    const db = open();
    const here = { firstCommit: 'commit:abcd', seenIn: '/work/shop/.git' };
    expect(seen(db, 'github.com/acme/shop', 'shop', here).name).toBe('shop');
    expect(db.knownRepository('commit:abcd')?.project).toBe('shop');
    expect(seen(db, 'github.com/acme/store', 'shop', here)).toEqual({ name: 'shop' });
    // Seen elsewhere, the first origin gone from where it was: the same repository again.
    const gone = { firstCommit: 'commit:abcd', isOther: () => false };
    expect(seen(db, 'gitlab.com/acme/shop', 'shop-again', gone)).toEqual({ name: 'shop' });
  });

  it('makes a fork a project of its own while the repository it forked is still there, and says which it is', () => {
    const db = open();
    expect(seen(db, 'github.com/acme/shop', 'shop', { firstCommit: 'commit:abcd' }).name).toBe('shop');
    const fork = seen(db, 'github.com/bob/shop', 'shop-fork', { firstCommit: 'commit:abcd' });
    expect(fork).toEqual({
      name: 'shop-fork',
      forkOf: {
        repository: 'github.com/acme/shop',
        project: 'shop',
        firstCommit: 'commit:abcd',
        seenIn: '/work/shop/.git',
      },
    });
    // Its origin removed, it is still the fork's project; the first commit's own stays the first repository's.
    expect(seen(db, 'commit:abcd', 'shop-fork', { firstCommit: 'commit:abcd' }).name).toBe('shop-fork');
    expect(seen(db, 'commit:abcd', 'shop', { firstCommit: 'commit:abcd' }).name).toBe('shop');
  });

  it('takes its repositories along when a project is renamed', () => {
    const db = open();
    seen(db, 'github.com/acme/shop', 'shop');
    const project = db.ensureProject('shop');
    db.updateProject(project.id, { name: 'storefront' });
    expect(db.knownRepository('github.com/acme/shop')?.project).toBe('storefront');
    // The old name is free again for another repository.
    expect(seen(db, 'commit:1111', 'shop').name).toBe('shop');
  });

  it('is added to a store of the release before, whose folder-named projects and tasks stay as they were', () => {
    const file = storeFile();
    // The schema the release before this one shipped: no repositories recorded yet.
    const before = 10;
    const { db: old } = openStoreFile(file, TASK_DB_MIGRATIONS.slice(0, before), {});
    const at = new Date().toISOString();
    old.prepare("INSERT INTO projects (id, name, created_at, updated_at) VALUES ('p1', 'shop', ?, ?)").run(at, at);
    old
      .prepare(
        `INSERT INTO tasks (id, project_id, title, status, priority, created_at, updated_at)
         VALUES ('TASK-001', 'p1', 'Kept from before', 'todo', 'medium', ?, ?)`,
      )
      .run(at, at);
    old.close();

    const db = open(file);
    expect(seen(db, 'github.com/acme/shop', 'shop').name).toBe('shop');
    expect(db.listProjects().map((p) => p.name)).toEqual(['shop']);
    expect(db.listTasks({ projectId: 'p1' }).tasks.map((t) => t.title)).toEqual(['Kept from before']);
  });

  it('folds to lower case the keys an earlier release recorded for a host that tells no case', () => {
    const file = storeFile();
    const before = TASK_DB_MIGRATIONS.length - 1;
    const { db: old } = openStoreFile(file, TASK_DB_MIGRATIONS.slice(0, before), {});
    const record = old.prepare('INSERT INTO project_repositories (repository, project) VALUES (?, ?)');
    record.run('github.com/Acme/Shop', 'shop');
    record.run('git.example.com/Acme/Tools', 'tools');
    // Both spellings seen before: the folded one is kept, the other stays and keeps its project's name taken.
    record.run('gitlab.com/Bob/Notes', 'notes');
    record.run('gitlab.com/bob/notes', 'notes-2');
    old.close();

    const db = open(file);
    const rows = db.db.prepare('SELECT repository, project FROM project_repositories ORDER BY repository').all();
    expect(rows).toEqual([
      { repository: 'git.example.com/Acme/Tools', project: 'tools' },
      { repository: 'github.com/acme/shop', project: 'shop' },
      { repository: 'gitlab.com/Bob/Notes', project: 'notes' },
      { repository: 'gitlab.com/bob/notes', project: 'notes-2' },
    ]);
    expect(seen(db, 'commit:1111', 'notes').name).toBe('notes-3');
  });
});
