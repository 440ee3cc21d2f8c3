// Which project a repository is, as the built-in store records it: by identity, numbered when another repository
// took the folder's name first, kept across an identity's change, followed through a project's rename.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTaskDb, type TaskDb } from '../../src/store/index.js';
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

describe('projectOfRepository', () => {
  it('names a repository once, by its first folder, whatever folder it is seen in since', () => {
    const db = open();
    expect(db.repositoryProject('github.com/acme/shop')).toBeUndefined();
    expect(db.projectOfRepository({ repository: 'github.com/acme/shop', folder: 'shop' })).toBe('shop');
    expect(db.projectOfRepository({ repository: 'github.com/acme/shop', folder: 'shop-renamed' })).toBe('shop');
    expect(db.repositoryProject('github.com/acme/shop')).toBe('shop');
  });

  it('numbers the name of a second repository first seen under a folder name another has', () => {
    const db = open();
    expect(db.projectOfRepository({ repository: 'github.com/acme/shop', folder: 'shop' })).toBe('shop');
    expect(db.projectOfRepository({ repository: 'commit:1111', folder: 'shop' })).toBe('shop-2');
    expect(db.projectOfRepository({ repository: 'gitlab.com/bob/shop', folder: 'shop' })).toBe('shop-3');
    expect(db.projectOfRepository({ repository: 'commit:1111', folder: 'shop' })).toBe('shop-2');
  });

  it('keeps the project of a repository known by its first commit once it has an origin', () => {
    const db = open();
    expect(db.knowsFirstCommits()).toBe(false);
    expect(db.projectOfRepository({ repository: 'github.com/acme/shop', folder: 'shop' })).toBe('shop');
    expect(db.knowsFirstCommits()).toBe(false);
    expect(db.projectOfRepository({ repository: 'commit:abcd', folder: 'notes' })).toBe('notes');
    expect(db.knowsFirstCommits()).toBe(true);
    expect(
      db.projectOfRepository({ repository: 'github.com/me/notes', folder: 'notes-moved', earlier: 'commit:abcd' }),
    ).toBe('notes');
  });

  it('takes its repositories along when a project is renamed', () => {
    const db = open();
    db.projectOfRepository({ repository: 'github.com/acme/shop', folder: 'shop' });
    const project = db.ensureProject('shop');
    db.updateProject(project.id, { name: 'storefront' });
    expect(db.repositoryProject('github.com/acme/shop')).toBe('storefront');
    // The old name is free again for another repository.
    expect(db.projectOfRepository({ repository: 'commit:1111', folder: 'shop' })).toBe('shop');
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
    expect(db.projectOfRepository({ repository: 'github.com/acme/shop', folder: 'shop' })).toBe('shop');
    expect(db.listProjects().map((p) => p.name)).toEqual(['shop']);
    expect(db.listTasks({ projectId: 'p1' }).tasks.map((t) => t.title)).toEqual(['Kept from before']);
  });
});
