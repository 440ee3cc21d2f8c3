// Pushed changes at /mcp/live: a real server on 127.0.0.1, subscribed through taskhooks' own MCP wrapper; a change made
// through the stateless endpoint (and one made in the store directly) arrives as notifications/resources/updated; bad
// input to every new request is refused in one line and changes nothing.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { subscribeResources, type ResourceSubscription } from '../../src/mcp/subscribe.js';
import { liveUrlOf } from '../../src/sources/live.js';
import { projectTasksUri } from '../../src/server/resource-uri.js';
import { deadlineIn } from '../../src/util/deadline.js';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';
import { connectHttp, envelope } from './client.js';

const READER = 'reader-token-abcdef-0123456789abcdefghij';
let server: ReferenceServer;
let live: string;

beforeAll(async () => {
  server = await startReferenceServer({ tokens: [{ principal: 'reader', token: READER, tools: ['read'] }] });
  live = liveUrlOf(server.url) ?? '';
});
afterAll(async () => {
  await server?.close();
});

async function subscribe(token: string, uris: string[], heard: string[]): Promise<ResourceSubscription> {
  const outcome = await subscribeResources(
    { kind: 'http', url: live, headers: () => ({ Authorization: `Bearer ${token}` }) },
    uris,
    (uri) => heard.push(uri),
    deadlineIn(5000),
  );
  if (!outcome.subscribed) throw new Error(`not subscribed: ${outcome.why}`);
  return outcome.subscription;
}

async function subscribeSequenced(uris: string[], heard: Array<number | undefined>): Promise<ResourceSubscription> {
  const outcome = await subscribeResources(
    { kind: 'http', url: live, headers: () => ({ Authorization: `Bearer ${server.token}` }) },
    uris,
    (_uri, sequence) => heard.push(sequence),
    deadlineIn(5000),
  );
  if (!outcome.subscribed) throw new Error(`not subscribed: ${outcome.why}`);
  return outcome.subscription;
}

async function until(what: string, check: () => boolean): Promise<void> {
  const end = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('pushed changes', () => {
  test('a change to a subscribed project is pushed; another project is not; a read-only token may subscribe', async () => {
    const heard: string[] = [];
    const sub = await subscribe(READER, [projectTasksUri('shop')], heard);
    const admin = await connectHttp(server.url, server.token);
    try {
      await envelope(admin, 'manage_project', { action: 'create', name: 'other' });
      await envelope(admin, 'manage_task', { action: 'create', project_id: 'other', title: 'not ours' });
      await envelope(admin, 'manage_project', { action: 'create', name: 'shop' });
      await until('the shop change', () => heard.length > 0);
      expect(heard.every((u) => u === 'taskhooks://projects/shop/tasks')).toBe(true);
      const before = heard.length;
      await envelope(admin, 'manage_task', { action: 'create', project_id: 'shop', title: 'pushed' });
      await until('the task creation', () => heard.length > before);
      // A write straight to the store (another session's stdio server on the same file would do the same).
      const n = heard.length;
      server.db.createTask({ projectId: server.db.ensureProject('shop').id, title: 'direct' });
      await until('the direct write', () => heard.length > n);
    } finally {
      await admin.close();
      await sub.close();
    }
    expect(await sub.ended).toBe('closed');
  });

  // The project's creation (no task written, so no sequence) falls in the same window as the two tasks' creations:
  // the one notification must still carry their sequence.
  test('a burst of writes is one notification carrying the latest sequence; list since it answers what changed', async () => {
    const admin = await connectHttp(server.url, server.token);
    const heard: Array<number | undefined> = [];
    const sub = await subscribeSequenced([projectTasksUri('burst')], heard);
    try {
      await envelope(admin, 'manage_project', { action: 'create', name: 'burst' });
      const kept = await envelope(admin, 'manage_task', { action: 'create', project_id: 'burst', title: 'kept' });
      const gone = await envelope(admin, 'manage_task', { action: 'create', project_id: 'burst', title: 'gone' });
      const listed = await envelope(admin, 'manage_task', { action: 'list', project_id: 'burst' });
      const since = listed.data.sequence as number;
      expect(listed.data.tasks).toHaveLength(2);
      await until('the creations', () => heard.includes(since));
      heard.length = 0;
      // Thirty writes in one tick, straight to the store: well within one coalescing window.
      const project = server.db.ensureProject('burst').id;
      for (let i = 0; i < 30; i++) server.db.createTask({ projectId: project, title: `burst ${i}` });
      server.db.updateTask({ projectId: project, id: kept.data.task.id }, { title: 'kept, renamed' });
      server.db.deleteTask({ projectId: project, id: gone.data.task.id });
      const latest = server.db.listingScope({ project: 'burst' }).sequence ?? 0;
      await until('the burst', () => heard.includes(latest));
      expect(heard).toEqual([latest]);
      const delta = await envelope(admin, 'manage_task', { action: 'list', project_id: 'burst', since });
      expect(delta.data).toMatchObject({ full: false, since, sequence: latest, count: 31 });
      expect(delta.data.deleted_task_ids).toEqual([gone.data.task.id]);
      expect(delta.data.tasks.map((t: { title: string }) => t.title)).toContain('kept, renamed');
      const tooNew = await envelope(admin, 'manage_task', { action: 'list', project_id: 'burst', since: latest + 9 });
      expect(tooNew.data).toMatchObject({ full: true, sequence: latest, total: 31 });
    } finally {
      await admin.close();
      await sub.close();
    }
  });

  test('from the first change after subscribing, a notification carries the changes themselves', async () => {
    const admin = await connectHttp(server.url, server.token);
    const carried: unknown[] = [];
    const outcome = await subscribeResources(
      { kind: 'http', url: live, headers: () => ({ Authorization: `Bearer ${server.token}` }) },
      [projectTasksUri('carried')],
      (_uri, sequence, changes) => {
        if (sequence !== undefined) carried.push(changes);
      },
      deadlineIn(5000),
    );
    if (!outcome.subscribed) throw new Error(`not subscribed: ${outcome.why}`);
    try {
      // The project does not exist yet when subscribed to: its first task is still a change counted from then.
      await envelope(admin, 'manage_project', { action: 'create', name: 'carried' });
      const made = await envelope(admin, 'manage_task', { action: 'create', project_id: 'carried', title: 'first' });
      await until('the creation', () => carried.length > 0);
      expect(carried[0]).toMatchObject({ tasks: [{ id: made.data.task.id, title: 'first' }], deleted_task_ids: [] });
    } finally {
      await admin.close();
      await outcome.subscription.close();
    }
  });

  test('the project resource reads its open tasks', async () => {
    const admin = await connectHttp(server.url, server.token);
    try {
      await envelope(admin, 'manage_project', { action: 'create', name: 'read-me' });
      await envelope(admin, 'manage_task', { action: 'create', project_id: 'read-me', title: 'listed' });
      const read = await admin.readResource({ uri: projectTasksUri('read-me') });
      const body = JSON.parse((read.contents[0] as { text: string }).text) as { tasks: { title: string }[] };
      expect(body.tasks.map((t) => t.title)).toEqual(['listed']);
      await expect(admin.readResource({ uri: projectTasksUri('no-such') })).rejects.toThrow(
        /Unknown project in taskhooks:\/\/projects\/no-such\/tasks/,
      );
    } finally {
      await admin.close();
    }
  });

  test('the stateless endpoint offers no subscription: the wrapper says so', async () => {
    const outcome = await subscribeResources(
      { kind: 'http', url: server.url, headers: () => ({ Authorization: `Bearer ${server.token}` }) },
      [],
      () => undefined,
      deadlineIn(5000),
    );
    expect(outcome).toEqual({ subscribed: false, why: 'the server does not offer resource subscriptions' });
  });
});

describe('a server whose change feed hears nothing', () => {
  test('offers no subscriptions, and says why and what fixes it; the subscriber is told both', async () => {
    const unpushed = { why: 'changes are not pushed: no NOTIFY came back', fix: 'give serve --listen-database URL' };
    const deaf = await startReferenceServer({ unpushed });
    try {
      const outcome = await subscribeResources(
        { kind: 'http', url: liveUrlOf(deaf.url) ?? '', headers: () => ({ Authorization: `Bearer ${deaf.token}` }) },
        [projectTasksUri('shop')],
        () => undefined,
        deadlineIn(5000),
      );
      expect(outcome).toEqual({ subscribed: false, why: `the server says: ${unpushed.why}`, fix: unpushed.fix });
      // The stateless endpoint, which never offered subscriptions, declares nothing of it.
      const client = await connectHttp(deaf.url, deaf.token);
      try {
        expect(client.getServerCapabilities()?.experimental).toBeUndefined();
        expect(client.getServerCapabilities()?.resources?.subscribe).toBeUndefined();
      } finally {
        await client.close();
      }
    } finally {
      await deaf.close();
    }
  });
});

describe('bad input to /mcp/live', () => {
  const send = (init: RequestInit & { headers?: Record<string, string> }): Promise<Response> =>
    fetch(live, {
      ...init,
      headers: {
        Accept: 'application/json, text/event-stream',
        'Content-Type': 'application/json',
        Authorization: `Bearer ${server.token}`,
        ...init.headers,
      },
    });

  test('a subscription to anything but a project task list is refused with what is accepted', async () => {
    const heard: string[] = [];
    await expect(subscribe(server.token, ['tasks://pending'], heard)).rejects.toThrow(
      'Cannot subscribe to "tasks://pending": only project task lists change (e.g. taskhooks://projects/web/tasks)',
    );
    await expect(subscribe(server.token, ['taskhooks://projects/a/b/tasks'], heard)).rejects.toThrow(
      /Cannot subscribe to/,
    );
  });

  test('no connection and no initialize: 400; an unknown connection: 404; no token: 401; a foreign connection: 403', async () => {
    const noConnection = await send({ method: 'GET' });
    expect(noConnection.status).toBe(400);
    expect(((await noConnection.json()) as { error: { message: string } }).error.message).toBe(
      'Bad Request: no Mcp-Session-Id; a live connection starts with an initialize request (POST)',
    );
    const list = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect((await send({ method: 'POST', body: list })).status).toBe(400);
    const unknown = await send({ method: 'POST', body: list, headers: { 'Mcp-Session-Id': 'no-such-connection' } });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(
      /^Unknown Mcp-Session-Id: /,
    );
    expect((await fetch(live, { method: 'GET' })).status).toBe(401);

    const init = await send({
      method: 'POST',
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } },
      }),
    });
    expect(init.status).toBe(200);
    const id = init.headers.get('mcp-session-id') ?? '';
    expect(id).not.toBe('');
    const foreign = await send({
      method: 'POST',
      body: list,
      headers: { 'Mcp-Session-Id': id, Authorization: `Bearer ${READER}` },
    });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: { message: string } }).error.message).toBe(
      'Forbidden: this connection belongs to another principal',
    );
  });

  test('liveUrlOf: only a URL ending in /mcp has a live endpoint', () => {
    expect(liveUrlOf('http://127.0.0.1:8765/mcp')).toBe('http://127.0.0.1:8765/mcp/live');
    expect(liveUrlOf('https://tasks.example/team/mcp/')).toBe('https://tasks.example/team/mcp/live');
    expect(liveUrlOf('http://127.0.0.1:8765/sse')).toBeUndefined();
  });
});
