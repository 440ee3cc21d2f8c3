// The session's few task tools over real HTTP, and the one pending list every reader of the built-in store asks: a
// task added to a project with no branch (the tracker's add_task, the session's add_task) is listed by the hooks'
// read, `tasks list`, `tasks next`, the board's listing and the session's list_tasks, on every branch, marked as
// every branch's.
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openCache, type Cache } from '../../src/cache/cache.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { renderContext } from '../../src/context/render.js';
import { homeFiles } from '../../src/home/files.js';
import { createStderrLogger } from '../../src/log/index.js';
import { useTaskSource } from '../../src/network/index.js';
import { readLocalNext, readLocalTasks } from '../../src/sources/embedded/local-read.js';
import { operation, type TaskSource } from '../../src/sources/source.js';
import type { Scope } from '../../src/tasks/scope.js';
import { runCli } from '../helpers/cli.js';
import { makeRepo } from '../helpers/git.js';
import { hookEnv, tempHome } from '../helpers/hooks.js';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';
import { sourceOf } from '../helpers/settings.js';
import { call, connectHttp, textOf } from './client.js';

let server: ReferenceServer;
let compat: Client;
let session: Client;
let cache: Cache;
const log = createStderrLogger({ level: 'silent', name: 'test' });

beforeAll(async () => {
  server = await startReferenceServer({
    // A project with a registered branch and a task on it; another project has no branch at all.
    seed: (db) => {
      const shop = db.createProject({ name: 'shop' });
      const main = db.createBranch({ projectId: shop.id, name: 'main' });
      db.createTask({ projectId: shop.id, gitBranchId: main.id, title: 'Fix login', priority: 'low' });
    },
  });
  compat = await connectHttp(server.url, server.token);
  session = await connectHttp(`${server.url}?tools=session`, server.token);
  cache = openCache({ home: server.home });
});
afterAll(async () => {
  await compat.close();
  await session.close();
  cache.close();
  await server.close();
});

async function ok(client: Client, name: string, args: Record<string, unknown>): Promise<any> {
  const result = await call(client, name, args);
  if (result.isError) throw new Error(`${name} failed: ${textOf(result)}`);
  return JSON.parse(textOf(result));
}

const scope = (project: string, branch: string): Scope => ({ project, branch, projectRoot: server.home });

/** `read` on the built-in store as the monitor, the hooks and the board read it (the agenthub reader). */
function served<T>(s: Scope, read: (src: TaskSource) => Promise<T>): Promise<T> {
  const source = sourceOf(ConfigSchema.parse({}));
  return useTaskSource({ source, home: server.home, cache, log, scope: s, projectRoot: server.home }, read);
}

/** Every reader's pending titles for a scope, and the next task's, by reader. */
async function everyReader(s: Scope): Promise<Record<string, unknown>> {
  const file = homeFiles(server.home).tasks;
  const hooks = await served(s, (src) => src.pending(s));
  const snapshot = { sourceKey: 'embedded', ...s, fetchedAt: Date.now(), source: 'built-in store', next: null };
  const rendered = renderContext({
    scope: s,
    snapshot: { ...snapshot, tasks: hooks.tasks },
    freshness: { kind: 'live' },
    git: undefined,
    alerts: [],
    budget: 4000,
    maxPending: 10,
    now: Date.now(),
  });
  return {
    hooks: hooks.tasks.map((t) => `${t.title}${t.projectTask ? ' (every branch)' : ''}`),
    context: rendered.text.split('\n').filter((l) => l.includes('Refund flow')),
    board: (await served(s, (src) => operation(src, 'listAll', 'list')(s))).map((t) => t.title),
    tasksList: readLocalTasks(file, s, { all: false })?.tasks.map((t) => t.title),
    tasksNext: readLocalNext(file, s)?.next?.title,
    next: (await served(s, (src) => src.next(s)))?.title,
  };
}

describe('a task added to a project with no branch', () => {
  test('the tracker add_task of its simplest call is read by every reader, on a branch known or not', async () => {
    const added = await ok(compat, 'add_task', {
      tasks: [{ project_id: 'shop', title: 'Refund flow for declined cards', priority: 'high' }],
    });
    expect(added).toMatchObject({ success: true, tasks_added: 1 });
    const seen = {
      hooks: ['Refund flow for declined cards (every branch)', 'Fix login'],
      context: [
        'Next recommended task: TASK-002 "Refund flow for declined cards" — priority high, status todo, every branch.',
      ],
      board: ['Refund flow for declined cards', 'Fix login'],
      tasksList: ['Refund flow for declined cards', 'Fix login'],
      tasksNext: 'Refund flow for declined cards',
      next: 'Refund flow for declined cards',
    };
    expect(await everyReader(scope('shop', 'main'))).toEqual(seen);
    expect(await everyReader(scope('shop', 'feature/pay'))).toEqual(seen);
  });

  test("the session's add_task with only a title, in a project that has no branch at all", async () => {
    const added = await ok(session, 'add_task', { title: 'Refund flow', project: 'cafe' });
    expect(added).toMatchObject({ added: 'TASK-001', project: 'cafe', every_branch: true });
    const readers = await everyReader(scope('cafe', 'feature/pay'));
    expect(readers).toMatchObject({ hooks: ['Refund flow (every branch)'], tasksList: ['Refund flow'] });
    expect(readers.next).toBe('Refund flow');
    expect(await ok(session, 'list_tasks', { project: 'cafe' })).toEqual({
      project: 'cafe',
      tasks: [{ id: 'TASK-001', title: 'Refund flow', status: 'todo', priority: 'medium', every_branch: true }],
    });
  });
});

describe("the session's tools", () => {
  test('are three, in at most 1,500 bytes of schema; the compatibility families are served to who asks', async () => {
    const { tools } = await session.listTools();
    expect(tools.map((t) => t.name)).toEqual(['list_tasks', 'add_task', 'update_task']);
    expect(JSON.stringify(tools).length).toBeLessThanOrEqual(1500);
    const all = await connectHttp(`${server.url}?tools=all`, server.token);
    expect((await all.listTools()).tools.map((t) => t.name).sort()).toEqual(
      (await compat.listTools()).tools.map((t) => t.name).sort(),
    );
    expect((await all.listTools()).tools).toHaveLength(11);
    await all.close();
  });

  test("the full tool set is described in plain words: what a task's claim does, not the store's terms", async () => {
    const all = await connectHttp(`${server.url}?tools=all`, server.token);
    const { tools } = await all.listTools();
    await all.close();
    const described = tools.flatMap((t) => [
      t.description ?? '',
      ...Object.values((t.inputSchema.properties ?? {}) as Record<string, { description?: string }>).map(
        (p) => p.description ?? '',
      ),
    ]);
    expect(described.join('\n')).toContain('refused while someone else holds it');
    for (const text of described)
      expect(text).not.toMatch(/\bclaimant\b|\blease\b|change sequence|compare-and-set|renew/i);
  });

  test('update_task starts, notes and finishes; a project not named is refused naming the projects', async () => {
    const { added } = await ok(session, 'add_task', { title: 'Receipts', project: 'shop' });
    expect(await ok(session, 'update_task', { id: added, project: 'shop', status: 'in_progress' })).toEqual({
      id: added,
      project: 'shop',
      status: 'in_progress',
    });
    await ok(session, 'update_task', { id: added, project: 'shop', note: 'PDF first' });
    expect((await ok(session, 'update_task', { id: added, project: 'shop', status: 'done' })).status).toBe('done');
    const refused = await call(session, 'add_task', { title: 'Where?' });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toBe(
      "Name the project with project: this server does not know your session's (projects: shop, cafe)",
    );
  });

  test("list_tasks names the person a claim names, and a session's claim as another session, never by its id", async () => {
    const { added: theirs } = await ok(session, 'add_task', { title: 'Refund emails', project: 'shop' });
    const { added: danas } = await ok(session, 'add_task', { title: 'Refund audit', project: 'shop' });
    const id = '5b0e1c1e-8a51-4f3e-9d7a-2f1a0c9e4b7d';
    // As `taskhooks tasks start` claims on the built-in store, and as a team server names an authenticated caller.
    server.db.claimTask({ taskId: theirs, claimant: id, leaseSeconds: 600 });
    server.db.claimTask({ taskId: danas, claimant: `dana/${id}`, leaseSeconds: 600 });
    const listed = await ok(session, 'list_tasks', { project: 'shop' });
    const holder = (task: string) => listed.tasks.find((t: { id: string }) => t.id === task)?.claimed_by;
    expect(holder(theirs)).toBe('another session');
    expect(holder(danas)).toBe('dana');
    expect(JSON.stringify(listed)).not.toContain(id);
  });
});

describe('a task the model adds and one the person adds', () => {
  test('add_task with due and labels stores the row `tasks add --due --label` stores; a bad day is refused alike', async () => {
    const repo = makeRepo({ name: 'twin', branch: 'main' });
    const home = tempHome();
    try {
      const project = path.basename(repo.dir);
      const db = path.join(server.home, 'tasks.db');
      const cli = (...args: string[]) =>
        runCli([...args, '--db', db], { cwd: repo.dir, env: { ...hookEnv(home.home), NO_COLOR: '1' } });
      const given = ['Fix X', '--description', 'the redirect', '--priority', 'high', '--due', '2026-12-04'];
      expect((await cli('tasks', 'add', ...given, '--label', 'auth', '--label', 'ui')).code).toBe(0);
      await ok(session, 'add_task', {
        title: 'Fix X',
        description: 'the redirect',
        priority: 'high',
        due: '2026-12-04',
        labels: ['auth', 'ui'],
        project,
      });
      const projectId = server.db.getProject(project)?.id ?? '';
      const rows = server.db.listTasks({ projectId }).tasks.map(({ id, createdAt, updatedAt, ...row }) => row);
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({ dueDate: '2026-12-04', labels: ['auth', 'ui'], gitBranchId: null });
      expect(rows[1]).toEqual(rows[0]);

      const refused = await call(session, 'add_task', { title: 'Later', due: '2026-02-30', project });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toBe('due "2026-02-30" is not a date: give a day as YYYY-MM-DD, e.g. 2026-12-01');
      const wrong = await cli('tasks', 'add', 'Later', '--due', '2026-02-30');
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain(`: --${textOf(refused)} (see`);
    } finally {
      repo.cleanup();
      home.cleanup();
    }
  });
});

describe("the tracker's add_task (the compatibility families, `taskhooks serve`'s default)", () => {
  test("takes the session's single-task form too, and refuses a call giving both forms or neither", async () => {
    const one = await ok(compat, 'add_task', {
      title: 'Audit log',
      project: 'cafe',
      due: '2026-12-01',
      labels: ['ops'],
    });
    expect(one).toMatchObject({ project: 'cafe', priority: 'medium', every_branch: true });
    const stored = server.db.getTask({ projectId: server.db.getProject('cafe')?.id ?? '', id: one.added });
    expect(stored).toMatchObject({ title: 'Audit log', dueDate: '2026-12-01', labels: ['ops'], gitBranchId: null });
    const bad = await call(compat, 'add_task', { title: 'Soon', project: 'cafe', due: '2026-02-30' });
    expect(textOf(bad)).toBe('due "2026-02-30" is not a date: give a day as YYYY-MM-DD, e.g. 2026-12-01');
    const both = await call(compat, 'add_task', { title: 'A', tasks: [{ project_id: 'cafe', title: 'B' }] });
    expect(both.isError).toBe(true);
    expect(textOf(both)).toBe(
      'add_task takes tasks (a batch, each with project_id) or title (one task), not both nor neither',
    );
    expect((await call(compat, 'add_task', {})).isError).toBe(true);
  });
});
