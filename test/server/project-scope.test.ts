// A `serve` token scoped to projects: every call outside them (a read, a write, a listing, a resource, a subscription
// to pushed changes) is refused in one line, and nothing of another project reaches it; within them it works as any.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { subscribeResources } from '../../src/mcp/subscribe.js';
import { projectTasksUri } from '../../src/server/resource-uri.js';
import { liveUrlOf } from '../../src/sources/live.js';
import { deadlineIn } from '../../src/util/deadline.js';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';
import { call, connectHttp, envelope, textOf } from './client.js';

const SHOP = 'shop-only-token-0123456789abcdefghijklmnop';
const SECRET = 'Mall secret plan';
let server: ReferenceServer;
let mallTask: string;

beforeAll(async () => {
  server = await startReferenceServer({
    tokens: [{ principal: 'shopper', token: SHOP, tools: ['*'], projects: ['shop'] }],
  });
  const admin = await connectHttp(server.url, server.token);
  try {
    await envelope(admin, 'manage_project', { action: 'create', name: 'shop' });
    await envelope(admin, 'manage_project', { action: 'create', name: 'mall' });
    mallTask = (await envelope(admin, 'manage_task', { action: 'create', project_id: 'mall', title: SECRET })).data.task
      .id as string;
  } finally {
    await admin.close();
  }
});
afterAll(async () => {
  await server?.close();
});

const refusal = /^Permission denied: principal "shopper" may only use the projects shop/;
/** The same refusal as the MCP client throws it for a resource, prefixed with its error code. */
const thrown = /Permission denied: principal "shopper" may only use the projects shop/;

describe('a token scoped to projects', () => {
  test('works within its project, lists only it, and is refused in one line everywhere else', async () => {
    const shop = await connectHttp(server.url, SHOP);
    try {
      const made = await envelope(shop, 'manage_task', { action: 'create', project_id: 'shop', title: 'Ours' });
      expect(made.success).toBe(true);
      const listed = await envelope(shop, 'manage_task', { action: 'list', project_id: 'shop' });
      expect(listed.data.tasks.map((t: { title: string }) => t.title)).toEqual(['Ours']);
      const projects = await envelope(shop, 'manage_project', { action: 'list' });
      expect(projects.data.projects.map((p: { name: string }) => p.name)).toEqual(['shop']);

      // A dependency on another project's task names that project: a way to learn whether mall's task is done.
      const mallDependency = `${server.db.getProject('mall')?.id}/${mallTask}`;
      const refused = [
        await envelope(shop, 'manage_task', {
          action: 'update',
          task_id: made.data.task.id,
          project_id: 'shop',
          dependencies: [mallDependency],
        }),
        await envelope(shop, 'manage_task', { action: 'list', project_id: 'mall' }),
        await envelope(shop, 'manage_task', { action: 'list' }),
        await envelope(shop, 'manage_task', { action: 'get', task_id: mallTask, project_id: 'mall' }),
        await envelope(shop, 'manage_task', { action: 'update', task_id: mallTask, project_id: 'mall', title: 'mine' }),
        await envelope(shop, 'manage_task', { action: 'create', project_id: 'mall', title: 'planted' }),
        await envelope(shop, 'manage_project', { action: 'get', project_id: 'mall' }),
        await envelope(shop, 'manage_project', { action: 'create', name: 'elsewhere' }),
      ];
      for (const r of refused) {
        expect(r.success).toBe(false);
        expect(r.error.code).toBe('PERMISSION_DENIED');
        expect(r.error.message).toMatch(refusal);
        expect(r.error.message).not.toContain('\n');
      }
      const tracker = [
        await call(shop, 'list_tasks', { project_id: 'mall' }),
        await call(shop, 'get_next_task', { project_id: 'mall' }),
        await call(shop, 'update_task_status', { task_id: mallTask, project_id: 'mall', status: 'done' }),
        await call(shop, 'add_task', { tasks: [{ project_id: 'mall', title: 'planted' }] }),
        await call(shop, 'add_task', {
          tasks: [{ project_id: 'shop', title: 'waits', dependencies: [mallDependency] }],
        }),
      ];
      for (const r of tracker) {
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(refusal);
      }
      const everything = JSON.stringify([refused, tracker, projects]);
      expect(everything).not.toContain(SECRET);
      // Not even the other project's name, which a task id of it would tell.
      expect(everything).not.toMatch(/mall/);
      expect(
        server.db
          .listTasks({})
          .tasks.map((t) => t.title)
          .sort(),
      ).toEqual([SECRET, 'Ours']);
      const mall = server.db.getProject('mall')?.id ?? '';
      expect(server.db.getTask({ projectId: mall, id: mallTask })?.title).toBe(SECRET);
      // Ids are counted per project: by id alone, shop's own task of that id, never mall's.
      expect(made.data.task.id).toBe(mallTask);
      const own = await envelope(shop, 'manage_task', { action: 'get', task_id: mallTask });
      expect(own.data.task.title).toBe('Ours');

      await expect(shop.readResource({ uri: projectTasksUri('mall') })).rejects.toThrow(thrown);
      await expect(shop.readResource({ uri: 'tasks://pending' })).rejects.toThrow(thrown);
      const listedResources = await shop.listResources();
      expect(listedResources.resources.map((r) => r.uri)).not.toContain(projectTasksUri('mall'));
      const ours = await shop.readResource({ uri: projectTasksUri('shop') });
      expect(JSON.stringify(ours.contents)).toContain('Ours');
    } finally {
      await shop.close();
    }
  });

  test('hears no pushed change of another project: its subscription is refused', async () => {
    const live = liveUrlOf(server.url) ?? '';
    const subscribe = (uri: string) =>
      subscribeResources(
        { kind: 'http', url: live, headers: () => ({ Authorization: `Bearer ${SHOP}` }) },
        [uri],
        () => undefined,
        deadlineIn(5000),
      );
    await expect(subscribe(projectTasksUri('mall'))).rejects.toThrow(
      /may only use the projects shop, and resources\/subscribe touches another one/,
    );
    const shop = await subscribe(projectTasksUri('shop'));
    expect(shop.subscribed).toBe(true);
    if (shop.subscribed) await shop.subscription.close();
  });
});

describe("the tracker's add_task in the session's one-task form", () => {
  test('a token scoped to projects is held to them', async () => {
    const shop = await connectHttp(server.url, SHOP);
    try {
      const ours = await call(shop, 'add_task', { title: 'Ours too', project: 'shop' });
      expect(ours.isError).toBeFalsy();
      for (const args of [{ title: 'Planted', project: 'mall' }, { title: 'Nowhere' }]) {
        const refused = await call(shop, 'add_task', args);
        expect(refused.isError).toBe(true);
        expect(textOf(refused)).toMatch(refusal);
      }
      expect(
        server.db.listTasks({ projectId: server.db.getProject('mall')?.id ?? '' }).tasks.map((t) => t.title),
      ).not.toContain('Planted');
    } finally {
      await shop.close();
    }
  });
});
