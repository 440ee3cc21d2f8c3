// The one-time move of an earlier plugin release's task store out of Claude Code's data folder of the plugin (which
// `claude plugin uninstall` deletes) into the state directory: every task and note kept, one line told, done once; a
// failed move leaves the old store as it was; the earlier release's monitor is stopped before the copy.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { homeFiles } from '../../src/home/files.js';
import { takeNotices } from '../../src/home/notices.js';
import { openTaskDb, type TaskDb } from '../../src/store/index.js';
import { MOVED_NOTE } from '../../src/home/dir.js';
import { movePluginStores } from '../../src/store/tasks-db/plugin-stores.js';
import { takeBackupNow } from '../../src/store/tasks-db/backups.js';
import { namesIn } from '../../src/util/dir.js';
import { recordingLogger } from '../helpers/cache.js';
import { pidAlive } from '../helpers/pid.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A person's world: the state directory and the plugin's data folder of an earlier release, side by side. */
function world(): { home: string; data: string; env: NodeJS.ProcessEnv } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'th-plugin-stores-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const data = path.join(root, 'claude', 'plugins', 'data', 'taskhooks-taskhooks');
  mkdirSync(data, { recursive: true });
  return { home: path.join(root, 'taskhooks'), data, env: { CLAUDE_PLUGIN_DATA: data } };
}

function withDb<T>(file: string, fn: (db: TaskDb) => T): T {
  const db = openTaskDb(file);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Two projects' tasks, a note on one, and a backup beside them: what an earlier release's plugin kept there. */
function seedOld(data: string): void {
  withDb(path.join(data, 'tasks.db'), (db) => {
    const shop = db.ensureProject('shop');
    const cafe = db.ensureProject('cafe');
    db.createTask({ projectId: shop.id, title: 'Fix login' });
    db.createTask({ projectId: shop.id, title: 'Add coupons' });
    db.createTask({ projectId: cafe.id, title: 'Print menus' });
    db.addNote({ projectId: shop.id, id: 'TASK-001' }, 'cookie domain is wrong', 'dana');
    takeBackupNow(db.db, path.join(data, 'backups'), 'manual');
  });
}

/** Every task (project, id, title) and the shop's first task's notes. */
function contents(file: string): { tasks: string[]; notes: string[] } {
  return withDb(file, (db) => {
    const names = new Map(db.listProjects().map((p) => [p.id, p.name]));
    const tasks = db
      .listTasks({})
      .tasks.map((t) => `${names.get(t.projectId)}/${t.id} ${t.title}`)
      .sort();
    const shop = db.listProjects().find((p) => p.name === 'shop');
    const notes = shop ? db.listNotes({ projectId: shop.id, id: 'TASK-001' }).map((n) => `${n.author}: ${n.text}`) : [];
    return { tasks, notes };
  });
}

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('an earlier plugin release’s task store, moved into the state directory', () => {
  it('keeps every task, note and backup, tells one line once, leaves the old store, and does nothing the second time', () => {
    const { home, data, env } = world();
    seedOld(data);
    const before = contents(path.join(data, 'tasks.db'));
    const oldBytes = digest(path.join(data, 'tasks.db'));

    const moved = movePluginStores(home, { env });

    expect(moved).toHaveLength(1);
    expect(contents(homeFiles(home).tasks)).toEqual(before);
    expect(before.tasks).toHaveLength(3);
    expect(before.notes).toEqual(['dana: cookie domain is wrong']);
    const [backup] = namesIn(path.join(data, 'backups'));
    expect(existsSync(path.join(homeFiles(home).backups, backup as string))).toBe(true);
    const line = moved[0]?.line ?? '';
    expect(line).toContain(path.join(data, 'tasks.db'));
    expect(line).toContain(homeFiles(home).tasks);
    expect(line).toContain('3 tasks');
    expect(line.split('\n')).toHaveLength(1);
    // Told once: to the next command, and to the next session.
    expect(takeNotices(home, 'cli')).toEqual([line]);
    expect(takeNotices(home, 'session')).toEqual([line]);
    // The old store is left as it was, with a note of where it went.
    expect(digest(path.join(data, 'tasks.db'))).toBe(oldBytes);
    expect(JSON.parse(readFileSync(path.join(data, MOVED_NOTE), 'utf8'))).toMatchObject({ to: homeFiles(home).tasks });

    expect(movePluginStores(home, { env })).toEqual([]);
    expect(takeNotices(home, 'cli')).toEqual([]);
    expect(contents(homeFiles(home).tasks)).toEqual(before);
  });

  it("is done by the state directory's first open of its store, which then serves the moved tasks", () => {
    const { home, data } = world();
    seedOld(data);
    vi.stubEnv('CLAUDE_PLUGIN_DATA', data);

    const db = openTaskDb(homeFiles(home).tasks, { home });
    try {
      expect(db.countTasks()).toBe(3);
    } finally {
      db.close();
    }
    expect(takeNotices(home, 'cli')).toEqual([expect.stringContaining('moved your task store (3 tasks)')]);
  });

  it('leaves the old store as it was when the copy fails, and moves it at the next try', () => {
    const { home, data, env } = world();
    seedOld(data);
    const oldBytes = digest(path.join(data, 'tasks.db'));
    // Where the copy is written first, something that cannot be written: the copy fails.
    mkdirSync(`${homeFiles(home).tasks}.tmp-${process.pid}`, { recursive: true });
    const lines: string[] = [];

    expect(movePluginStores(home, { env, log: recordingLogger(lines) })).toEqual([]);

    expect(lines).toEqual([expect.stringContaining('was not moved; it is left as it was')]);
    expect(existsSync(homeFiles(home).tasks)).toBe(false);
    expect(existsSync(path.join(data, MOVED_NOTE))).toBe(false);
    expect(digest(path.join(data, 'tasks.db'))).toBe(oldBytes);
    expect(takeNotices(home, 'cli')).toEqual([]);

    rmSync(`${homeFiles(home).tasks}.tmp-${process.pid}`, { recursive: true });
    expect(movePluginStores(home, { env })).toHaveLength(1);
    expect(contents(homeFiles(home).tasks).tasks).toHaveLength(3);
  });

  it('does not mix two stores: where the state directory holds tasks already, the old one stays and the line says how to merge it', () => {
    const { home, data, env } = world();
    seedOld(data);
    mkdirSync(home, { recursive: true });
    withDb(homeFiles(home).tasks, (db) => db.createTask({ projectId: db.ensureProject('shop').id, title: 'Mine' }));
    const oldBytes = digest(path.join(data, 'tasks.db'));

    const [kept, ...more] = movePluginStores(home, { env });

    expect(more).toEqual([]);
    expect(kept).toMatchObject({ moved: false, tasks: 3 });
    expect(kept?.line).toContain('copy the file out first');
    expect(contents(homeFiles(home).tasks).tasks).toEqual(['shop/TASK-001 Mine']);
    expect(digest(path.join(data, 'tasks.db'))).toBe(oldBytes);
    // Said once.
    expect(movePluginStores(home, { env })).toEqual([]);
  });

  it("stops the earlier release's monitor first, so what it writes as it stops is moved too", async () => {
    const { home, data, env } = world();
    seedOld(data);
    // A stand-in for that monitor: it holds the data folder's lock (an earlier build's, which the OS cannot vouch for)
    // and, asked to stop through its signals folder as such a monitor is, writes a last task and goes.
    const script = `
      const { DatabaseSync } = require('node:sqlite');
      const fs = require('node:fs');
      const [data] = process.argv.slice(-3);
      fs.writeFileSync(data + '/monitor.pid', JSON.stringify({ pid: process.pid, startedAt: Date.now() }));
      setInterval(() => {
        if (!fs.existsSync(data + '/signals/stop')) return;
        const db = new DatabaseSync(data + '/tasks.db');
        const p = db.prepare("SELECT id FROM projects WHERE name = 'cafe'").get();
        db.prepare("INSERT INTO tasks (id, project_id, title, status, priority, dependencies, created_at, updated_at) VALUES ('TASK-099', ?, 'Written while stopping', 'todo', 'medium', '[]', 'now', 'now')").run(p.id);
        db.close();
        fs.rmSync(data + '/monitor.pid');
        process.exit(0);
      }, 20);
      process.send('ready');`;
    const child = spawn(process.execPath, ['-e', script, data, 'monitor', 'run'], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    cleanups.push(() => child.kill('SIGKILL'));
    await new Promise((resolve) => child.once('message', resolve));

    const moved = movePluginStores(home, { env });

    expect(moved).toHaveLength(1);
    await expect.poll(() => pidAlive(child.pid as number)).toBe(false);
    expect(contents(homeFiles(home).tasks).tasks).toContain('cafe/TASK-099 Written while stopping');
  });
});
