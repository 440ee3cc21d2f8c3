// A repository whose origin changes stays its project: renamed on its host, moved to another host, spelled with an ssh
// alias or in other letters, its origin removed and another added, cloned again from another URL. A fork, another
// repository sharing the first commit, is a project of its own, and the person is told. Real repositories, the
// project read as a config-cache miss reads it.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repositoryProject } from '../../src/config/project-name.js';
import { homeFiles } from '../../src/home/files.js';
import { takeNotices } from '../../src/home/notices.js';
import { openTaskDb } from '../../src/store/index.js';
import { git, makeRepo } from '../helpers/git.js';
import { tempDir } from '../foundation/helpers.js';

const undo: Array<() => void> = [];
afterEach(() => {
  for (const u of undo.splice(0).reverse()) u();
});

function home(): string {
  const h = tempDir('th-origin-home-');
  undo.push(h.remove);
  return h.dir;
}

/** A repository in a folder named `name`, with `origin`. */
function repo(name: string, origin?: string): string {
  const r = makeRepo({ name });
  undo.push(r.cleanup);
  if (origin) git(r.dir, 'remote', 'add', 'origin', origin);
  return r.dir;
}

/** `from` cloned into a new folder named `name`, its origin set to `origin`. */
function clone(from: string, name: string, origin: string): string {
  const parent = tempDir('th-origin-clone-');
  undo.push(parent.remove);
  const dir = path.join(parent.dir, name);
  git(parent.dir, 'clone', '-q', from, dir);
  git(dir, 'remote', 'set-url', 'origin', origin);
  return dir;
}

async function projectIn(dir: string, h: string): Promise<string | undefined> {
  const { name, failed } = await repositoryProject(dir, h);
  expect(failed).toBeUndefined();
  return name;
}

describe('a repository whose origin changes', () => {
  it.each([
    ['renamed on its host', 'git@github.com:acme/store.git'],
    ['moved to another host', 'https://gitlab.com/acme/shop.git'],
    ['reached through an ssh host alias', 'github-work:acme/shop.git'],
    ['spelled in other letters', 'https://github.com/ACME/Shop'],
  ])('stays its project when %s', async (_, origin) => {
    const h = home();
    const dir = repo('shop', 'git@github.com:Acme/Shop.git');
    expect(await projectIn(dir, h)).toBe('shop');
    git(dir, 'remote', 'set-url', 'origin', origin);
    expect(await projectIn(dir, h)).toBe('shop');
  });

  it('stays its project when its origin is removed, then another added', async () => {
    const h = home();
    const dir = repo('shop', 'git@github.com:acme/shop.git');
    expect(await projectIn(dir, h)).toBe('shop');
    git(dir, 'remote', 'remove', 'origin');
    expect(await projectIn(dir, h)).toBe('shop');
    git(dir, 'remote', 'add', 'origin', 'https://gitlab.com/acme/shop.git');
    expect(await projectIn(dir, h)).toBe('shop');
    const db = openTaskDb(homeFiles(h).tasks);
    undo.push(() => db.close());
    const projects = db.db.prepare('SELECT DISTINCT project FROM project_repositories').all();
    expect(projects).toEqual([{ project: 'shop' }]);
  });

  it('is the same project cloned again elsewhere with its origin in other letters', async () => {
    const h = home();
    const dir = repo('shop', 'git@github.com:Acme/Shop.git');
    expect(await projectIn(dir, h)).toBe('shop');
    expect(await projectIn(clone(dir, 'shop2', 'https://github.com/acme/shop'), h)).toBe('shop');
  });

  it('is the same project cloned again from its new URL after it was renamed on its host', async () => {
    const h = home();
    const dir = repo('shop', 'git@github.com:acme/shop.git');
    expect(await projectIn(dir, h)).toBe('shop');
    const again = clone(dir, 'store', 'https://github.com/acme/store.git');
    rmSync(path.dirname(dir), { recursive: true, force: true });
    expect(await projectIn(again, h)).toBe('shop');
  });

  it('is the same project cloned again beside it through an ssh host alias', async () => {
    const h = home();
    const dir = repo('shop', 'git@github.com:acme/shop.git');
    expect(await projectIn(dir, h)).toBe('shop');
    expect(await projectIn(clone(dir, 'shop-work', 'github-work:acme/shop.git'), h)).toBe('shop');
  });

  it('keeps a repository recorded by its origin alone, before its first commit was, once its origin changes', async () => {
    const h = home();
    const dir = repo('shop', 'git@github.com:acme/shop.git');
    // As an earlier release recorded it: the origin only.
    const db = openTaskDb(homeFiles(h).tasks);
    db.db
      .prepare("INSERT INTO project_repositories (repository, project) VALUES ('github.com/acme/shop', 'shop')")
      .run();
    db.close();
    // Seen again (a config-cache miss), then renamed on its host.
    expect(await projectIn(dir, h)).toBe('shop');
    git(dir, 'remote', 'set-url', 'origin', 'git@github.com:acme/store.git');
    expect(await projectIn(dir, h)).toBe('shop');
  });
});

describe('a fork', () => {
  it('is a project of its own while the repository it forked is still there, and the person is told', async () => {
    const h = home();
    const dir = repo('shop', 'git@github.com:acme/shop.git');
    expect(await projectIn(dir, h)).toBe('shop');
    const fork = clone(dir, 'shop', 'git@github.com:bob/shop.git');

    expect(await projectIn(fork, h)).toBe('shop-2');
    expect(await projectIn(dir, h)).toBe('shop');
    const told = takeNotices(h, 'cli');
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('shop-2');
    expect(told[0]).toContain('github.com/acme/shop');
    expect(told[0]).toContain('source.project');
    // Its origin removed and added again, it stays its own project.
    git(fork, 'remote', 'remove', 'origin');
    expect(await projectIn(fork, h)).toBe('shop-2');
    git(fork, 'remote', 'add', 'origin', 'git@github.com:bob/shop.git');
    expect(await projectIn(fork, h)).toBe('shop-2');
    expect(await projectIn(dir, h)).toBe('shop');
  });
});
