// Where a session works reaches its task tools over HTTP: the project and branch the server found for the
// connection (not any a client claims in its own headers), so add_task adds for every branch or, asked, for the
// session's branch; and the session, so the store write its call makes is its own.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { actor } from '../../src/cache/acting-for.js';
import { SESSION_HEADERS, type SessionPlace } from '../../src/server/tools/tool-families.js';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';
import { call, connectHttp, textOf } from './client.js';

let server: ReferenceServer;
let session: Client;
let place: SessionPlace | undefined = { project: 'shop', branch: 'feature/pay', sessionId: 'sess-1' };
/** The session each store write was made as, in order. */
const writers: Array<string | undefined> = [];

beforeAll(async () => {
  server = await startReferenceServer({
    session: { tools: ['session'], place: () => place },
    seed: (db) => {
      db.ensureProject('shop');
      db.onChange(() => writers.push(actor()));
    },
  });
  session = await connectHttp(`${server.url}?tools=session`, server.token);
});
afterAll(async () => {
  await session.close();
  await server.close();
});

async function ok(name: string, args: Record<string, unknown>): Promise<any> {
  const result = await call(session, name, args);
  if (result.isError) throw new Error(`${name} failed: ${textOf(result)}`);
  return JSON.parse(textOf(result));
}

describe("the session's place", () => {
  test("add_task adds for every branch, or for the session's branch with branch, as the session's own write", async () => {
    writers.length = 0;
    expect(await ok('add_task', { title: 'Refund flow' })).toMatchObject({ project: 'shop', every_branch: true });
    expect(await ok('add_task', { title: 'Drop the flag', branch: true })).toMatchObject({
      project: 'shop',
      branch: 'feature/pay',
    });
    expect(
      (await ok('list_tasks', {})).tasks.map((t: { title: string; branch?: string }) => [t.title, t.branch]),
    ).toEqual([
      ['Refund flow', undefined],
      ['Drop the flag', 'feature/pay'],
    ]);
    expect(new Set(writers)).toEqual(new Set(['sess-1']));
  });

  test('a branch the server cannot tell is refused in words that say what to do; no session, no own write', async () => {
    place = { project: 'shop' };
    writers.length = 0;
    const refused = await call(session, 'add_task', { title: 'Where?', branch: true });
    expect([refused.isError, textOf(refused)]).toEqual([
      true,
      "This server cannot tell your session's branch of shop: leave branch out to add the task for every branch",
    ]);
    await ok('add_task', { title: 'Anywhere' });
    expect(writers).toEqual([undefined]);
  });

  test('a place a client claims in its own headers is dropped: no branch, no session', async () => {
    place = { project: 'shop' };
    writers.length = 0;
    const claimed = {
      Authorization: `Bearer ${server.token}`,
      [SESSION_HEADERS.project]: 'shop',
      [SESSION_HEADERS.branch]: 'feature/claimed',
      [SESSION_HEADERS.sessionId]: 'sess-claimed',
    };
    const client = new Client({ name: 'taskhooks-test', version: '0.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}?tools=session`), { requestInit: { headers: claimed } }),
    );
    try {
      expect((await call(client, 'add_task', { title: 'Claimed', branch: true })).isError).toBe(true);
      await call(client, 'add_task', { title: 'Unclaimed' });
      expect(writers).toEqual([undefined]);
    } finally {
      await client.close();
    }
  });
});
