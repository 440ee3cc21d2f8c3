// A project is its repository, not its folder: the built CLI's `tasks add` writes a task, and `taskhooks context` (what
// SessionStart injects) or the built SessionStart hook shows it again after the folder is renamed, cloned again or
// given a worktree; two unrelated repositories under one folder name stay two projects; `project` in the config wins;
// a folder-named project of an earlier release joins its repository once, nothing lost.
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, makeRepo } from '../helpers/git.js';
import { homeFiles } from '../../src/home/files.js';
import { openTaskDb } from '../../src/store/index.js';
import { runHook, sessionStartInput } from '../helpers/hooks.js';
import { perTest, type MonitorHome } from '../monitor/helpers.js';

const t = perTest();

/** A folder of the test's own, undone after it. */
function scratch(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-project-'));
  t.undo(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A repository in a folder named `name`, with `origin` when given. */
function repoNamed(name: string, origin?: string): string {
  const repo = makeRepo({ name });
  t.undo(repo.cleanup);
  if (origin) git(repo.dir, 'remote', 'add', 'origin', origin);
  return repo.dir;
}

/** `dir` renamed to `name` beside it; its new path. */
function renamed(dir: string, name: string): string {
  const to = path.join(path.dirname(dir), name);
  renameSync(dir, to);
  return to;
}

function add(m: MonitorHome, title: string, dir: string): void {
  const r = m.cli(['tasks', 'add', title], dir);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}

/** What `taskhooks context` says SessionStart would inject in `dir`, with the scope it names. */
function context(m: MonitorHome, dir: string): string {
  const r = m.cli(['context', '--dir', dir]);
  expect(r.code).toBe(0);
  return r.stdout;
}

const projectOf = (text: string): string | undefined => /scope: project (.+?), branch/.exec(text)?.[1];

describe('a project is its repository', () => {
  it('keeps its tasks when its folder is renamed, shown by the built SessionStart hook', async () => {
    const m = t.home({});
    const dir = repoNamed('shop', 'https://github.com/acme/shop.git');
    add(m, 'Ship the cart', dir);
    const moved = renamed(dir, 'shop-renamed');

    const run = await runHook('session-start', sessionStartInput(moved), { home: m.home, cwd: moved });
    expect(run.code).toBe(0);
    expect(run.output?.hookSpecificOutput.additionalContext).toContain('Ship the cart');
    expect(projectOf(context(m, moved))).toBe('shop');
  });

  it('is the same project in a second clone of the same origin, however the origin is spelled', () => {
    const m = t.home({});
    const dir = repoNamed('shop', 'git@GitHub.com:acme/shop.git');
    add(m, 'Ship the cart', dir);
    const clone = path.join(scratch(), 'shop-again');
    git(path.dirname(clone), 'clone', '-q', dir, clone);
    git(clone, 'remote', 'set-url', 'origin', 'https://someone@github.com/acme/shop/');

    const shown = context(m, clone);
    expect(projectOf(shown)).toBe('shop');
    expect(shown).toContain('Ship the cart');
  });

  it('without an origin, is known by its first commit when renamed', () => {
    const m = t.home({});
    const dir = repoNamed('notes');
    add(m, 'Write the index', dir);
    const moved = renamed(dir, 'notes-2026');

    const shown = context(m, moved);
    expect(projectOf(shown)).toBe('notes');
    expect(shown).toContain('Write the index');
  });

  it('keeps the project it had by its first commit once it is given an origin', () => {
    const m = t.home({});
    const dir = repoNamed('notes');
    add(m, 'Write the index', dir);
    git(dir, 'remote', 'add', 'origin', 'https://github.com/me/notes.git');

    const shown = context(m, renamed(dir, 'notes-published'));
    expect(projectOf(shown)).toBe('notes');
    expect(shown).toContain('Write the index');
  });

  it('keeps two unrelated repositories under one folder name apart', () => {
    const m = t.home({});
    const mine = repoNamed('shop', 'https://github.com/acme/shop.git');
    const theirs = repoNamed('shop');
    add(m, 'Mine to do', mine);
    add(m, 'Theirs to do', theirs);

    const first = context(m, mine);
    const second = context(m, theirs);
    expect(projectOf(first)).toBe('shop');
    expect(projectOf(second)).toBe('shop-2');
    expect(first).toContain('Mine to do');
    expect(first).not.toContain('Theirs to do');
    expect(second).toContain('Theirs to do');
    expect(second).not.toContain('Mine to do');
  });

  it('is one project across its worktrees', () => {
    const m = t.home({});
    const dir = repoNamed('shop');
    add(m, 'Ship the cart', dir);
    const tree = path.join(scratch(), 'shop-feature');
    git(dir, 'worktree', 'add', '-q', '-b', 'feature', tree);
    expect(projectOf(context(m, tree))).toBe('shop');
    // Git's own links between them follow the main worktree's move once repaired, as git says to.
    const moved = renamed(dir, 'shop-main');
    git(moved, 'worktree', 'repair', tree);

    expect(projectOf(context(m, tree))).toBe('shop');
    const shown = context(m, moved);
    expect(projectOf(shown)).toBe('shop');
    expect(shown).toContain('Ship the cart');
  });

  it('takes the project the config names over its repository', () => {
    const m = t.home({ source: { project: 'storefront' } });
    const dir = repoNamed('shop', 'https://github.com/acme/shop.git');
    add(m, 'Ship the cart', dir);

    const shown = context(m, renamed(dir, 'shop-renamed'));
    expect(projectOf(shown)).toBe('storefront');
    expect(shown).toContain('Ship the cart');
  });

  it('lets a folder-named project of an earlier release join its repository once, nothing lost', () => {
    const m = t.home({});
    // An earlier release named the project after the folder, and recorded no repository for it.
    expect(m.cli(['tasks', 'add', 'Kept from before', '--project', 'shop']).code).toBe(0);
    expect(m.cli(['tasks', 'add', 'Also kept', '--project', 'shop']).code).toBe(0);
    const dir = repoNamed('shop', 'https://github.com/acme/shop.git');

    const before = context(m, dir);
    expect(projectOf(before)).toBe('shop');
    const moved = renamed(dir, 'shop-renamed');
    const after = context(m, moved);
    expect(projectOf(after)).toBe('shop');
    for (const title of ['Kept from before', 'Also kept']) {
      expect(before).toContain(title);
      expect(after).toContain(title);
    }
    const db = openTaskDb(homeFiles(m.home).tasks);
    t.undo(() => db.close());
    // Its origin and, should the origin change, its first commit.
    expect(db.db.prepare('SELECT repository, project FROM project_repositories ORDER BY rowid').all()).toEqual([
      { repository: 'github.com/acme/shop', project: 'shop' },
      { repository: expect.stringMatching(/^commit:[0-9a-f]{40}$/), project: 'shop' },
    ]);
    expect(db.listProjects().map((p) => p.name)).toEqual(['shop']);
    const list = m.cli(['tasks', 'list', '--all', '--project', 'shop']);
    expect(list.stdout).toContain('Kept from before');
    expect(list.stdout).toContain('Also kept');
  });
});
