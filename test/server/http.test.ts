// The HTTP edge: the auth matrix against a real oidc-provider, permissions, rate limit, body cap, Accept handling,
// /health, and the call log.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startOidcProvider, type RunningOidcProvider } from '../helpers/oidc.js';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';
import { call, connectHttp, envelope, textOf } from './client.js';

const AUDIENCE = 'urn:taskhooks:test';
const RATE_LIMIT = 5;
const READ_ONLY_TOKEN = 'viewer-token-abcdef-0123456789abcdefghij';
let oidc: RunningOidcProvider;
let server: ReferenceServer;
/** How far the server's clock runs ahead of the system's: a token expires by moving it, not by waiting. */
let clockAheadMs = 0;

const LIST = {
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'manage_task', arguments: { action: 'list', limit: 5 } },
};

/** A raw request the way agenthub's own hooks send it: no initialize round trip. */
async function post(
  body: unknown,
  token: string | undefined,
  accept = 'application/json, text/event-stream',
): Promise<Response> {
  return fetch(server.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: accept,
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

beforeAll(async () => {
  oidc = await startOidcProvider({
    audience: AUDIENCE,
    clients: [
      { client_id: 'claude-hooks', client_secret: 'hooks-secret-123', scope: 'tasks:all' },
      { client_id: 'reader', client_secret: 'reader-secret-123', scope: 'manage_task get_next_task' },
    ],
  });
  server = await startReferenceServer({
    issuer: oidc.issuer,
    audience: AUDIENCE,
    rateLimitPerMinute: 600,
    now: () => new Date(Date.now() + clockAheadMs),
    // A wrong token's answer is not held here: that it waits is local-servers.test.ts's to show.
    penaltyWait: async () => undefined,
    tokens: [
      { principal: 'ci', token: 'ci-token-abcdef-0123456789abcdefghij', tools: ['manage_task'] },
      { principal: 'limited', token: 'limited-token-abcdef-0123456789abcdefghij', tools: ['*'] },
      { principal: 'viewer', token: READ_ONLY_TOKEN, tools: ['read'] },
    ],
  });
});
afterAll(async () => {
  await server?.close();
  await oidc?.close();
});

describe('auth matrix', () => {
  test('no token: 401 with WWW-Authenticate: Bearer', async () => {
    const res = await post(LIST, undefined);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="taskhooks"');
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'Unauthorized: missing bearer token',
    );
  });

  test('wrong static token: 401 invalid_token', async () => {
    const res = await post(LIST, 'not-a-real-token');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="taskhooks", error="invalid_token", error_description="unknown token"',
    );
  });

  test('a non-Bearer Authorization header: 401 invalid_request', async () => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { Authorization: 'Basic abc', 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="taskhooks", error="invalid_request"/);
  });

  test('task-tracking clients may send the token as X-API-Key instead of Authorization', async () => {
    const send = (key: string): Promise<Response> =>
      fetch(server.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
          'X-API-Key': key,
        },
        body: JSON.stringify(LIST),
      });
    expect((await send(server.token)).status).toBe(200);
    const wrong = await send('not-a-real-key');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  test('the SDK client with a wrong token fails to connect with a 401', async () => {
    await expect(connectHttp(server.url, 'wrong-token-123')).rejects.toThrow(/401|Unauthorized/);
  });

  test('valid static token: answers the agenthub envelope without an initialize round trip', async () => {
    const res = await post(LIST, server.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { result: { content: { text: string }[]; isError: boolean } };
    expect(body.result.isError).toBe(false);
    expect(JSON.parse(body.result.content[0]!.text)).toMatchObject({
      status: 'success',
      success: true,
      operation: 'list',
      data: { tasks: [], count: 0 },
    });
  });

  test('valid JWT from the issuer (client credentials, RS256): every tool', async () => {
    const jwt = await oidc.token('claude-hooks');
    expect(jwt.split('.')).toHaveLength(3);
    const client = await connectHttp(server.url, jwt);
    expect((await envelope(client, 'manage_project', { action: 'list' })).success).toBe(true);
    expect((await call(client, 'get_next_task', { project_id: 'x' })).isError).toBe(false);
    await client.close();
  });

  test('JWT for another audience: 401', async () => {
    const jwt = await oidc.token('claude-hooks', { resource: 'urn:someone:else' });
    const res = await post(LIST, jwt);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain(`error_description="token audience is not ${AUDIENCE}"`);
  });

  test('expired JWT: 401 token expired', async () => {
    const jwt = await oidc.token('claude-hooks');
    // Accepted within its five minutes; refused once the server's clock is past them.
    expect((await post(LIST, jwt)).status).toBe(200);
    clockAheadMs = 10 * 60_000;
    const res = await post(LIST, jwt).finally(() => (clockAheadMs = 0));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error_description="token expired"');
  });

  test('a JWT signed by someone else: 401', async () => {
    const jwt = await oidc.token('claude-hooks');
    const [h, p] = jwt.split('.');
    const res = await post(LIST, `${h}.${p}.${Buffer.from('forged').toString('base64url')}`);
    expect(res.status).toBe(401);
  });
});

describe('permissions', () => {
  test('a static token limited to manage_task gets a tool error naming the missing permission', async () => {
    const client = await connectHttp(server.url, 'ci-token-abcdef-0123456789abcdefghij');
    expect((await envelope(client, 'manage_task', { action: 'list' })).success).toBe(true);
    const denied = await call(client, 'manage_project', { action: 'list' });
    expect(denied.isError).toBe(true);
    const env = JSON.parse(textOf(denied));
    expect(env).toMatchObject({
      status: 'failure',
      success: false,
      error: { code: 'PERMISSION_DENIED', operation: 'list' },
    });
    expect(env.error.message).toBe(
      'Permission denied: principal "ci" may not call manage_project (missing permission "manage_project"; granted: manage_task)',
    );
    const tracker = await call(client, 'reserve_id_range', { artifact_type: 'US', count: 1, project_id: 'p' });
    expect(tracker.isError).toBe(true);
    expect(textOf(tracker)).toMatch(/missing permission "reserve_id_range"/);
    await client.close();
  });

  test('a JWT whose scopes name tools may call only those', async () => {
    const client = await connectHttp(server.url, await oidc.token('reader'));
    expect((await call(client, 'get_next_task', { project_id: 'x' })).isError).toBe(false);
    const denied = await call(client, 'add_task', { tasks: [{ project_id: 'x', title: 't' }] });
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toBe(
      'Permission denied: principal "reader" may not call add_task (missing permission "add_task"; granted: manage_task, get_next_task)',
    );
    await client.close();
  });
});

describe('read-only scope', () => {
  test('a token granted "read" lists and gets, and every write is refused with one clear line, nothing changed', async () => {
    const admin = await connectHttp(server.url, server.token);
    const viewer = await connectHttp(server.url, READ_ONLY_TOKEN);
    try {
      await envelope(admin, 'manage_project', { action: 'create', name: 'ro-proj' });
      const made = await envelope(admin, 'manage_task', { action: 'create', project_id: 'ro-proj', title: 'read me' });
      const id = made.data.task.id as string;
      const listed = await envelope(viewer, 'manage_task', { action: 'list', project_id: 'ro-proj' });
      expect(listed.success).toBe(true);
      expect((await envelope(viewer, 'manage_task', { action: 'get', task_id: id })).data.task.title).toBe('read me');
      const refused = await envelope(viewer, 'manage_task', { action: 'update', task_id: id, title: 'changed' });
      expect(refused.success).toBe(false);
      expect(refused.error.code).toBe('PERMISSION_DENIED');
      expect(refused.error.message).toBe(
        'Permission denied: principal "viewer" may only read, and manage_task update writes (granted: read; a token with "manage_task" or "*" may write)',
      );
      const created = await envelope(viewer, 'manage_project', { action: 'create', name: 'ro-other' });
      expect(created.success).toBe(false);
      const tracker = await call(viewer, 'update_task_status', { task_id: id, status: 'completed' });
      expect(tracker.isError).toBe(true);
      expect(textOf(tracker)).toMatch(
        /^Permission denied: principal "viewer" may only read, and update_task_status writes/,
      );
      expect((await call(viewer, 'get_next_task', { project_id: 'ro-proj' })).isError).toBeFalsy();
      const after = await envelope(admin, 'manage_task', { action: 'get', task_id: id });
      expect(after.data.task).toMatchObject({ title: 'read me', status: 'todo' });
      expect((await envelope(admin, 'manage_project', { action: 'get', name: 'ro-other' })).success).toBe(false);
    } finally {
      await viewer.close();
      await admin.close();
    }
  });
});

describe('limits', () => {
  test('rate limit per principal and address: a team behind one token is not one caller', async () => {
    const limited = await startReferenceServer({ rateLimitPerMinute: RATE_LIMIT });
    try {
      // A proxy on the same host names the caller in X-Forwarded-For.
      const send = (from: string): Promise<Response> =>
        fetch(limited.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Accept: 'application/json, text/event-stream',
            Authorization: `Bearer ${limited.token}`,
            'X-Forwarded-For': from,
          },
          body: JSON.stringify(LIST),
        });
      const dana: number[] = [];
      for (let i = 0; i < RATE_LIMIT + 1; i++) dana.push((await send('10.0.0.1')).status);
      expect(dana).toEqual([...Array(RATE_LIMIT).fill(200), 429]);
      expect((await send('10.0.0.2, 10.9.9.9')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  test('rate limit per principal: 429 with Retry-After once the budget is spent; other principals unaffected', async () => {
    const limited = await startReferenceServer({
      rateLimitPerMinute: RATE_LIMIT,
      tokens: [{ principal: 'other', token: 'other-token-abcdef-0123456789abcdefghij', tools: ['*'] }],
    });
    try {
      const send = (token: string): Promise<Response> =>
        fetch(limited.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Accept: 'application/json, text/event-stream',
            Authorization: `Bearer ${token}`,
          },
          body: JSON.stringify(LIST),
        });
      const statuses: number[] = [];
      for (let i = 0; i < RATE_LIMIT + 2; i++) statuses.push((await send(limited.token)).status);
      expect(statuses.slice(0, RATE_LIMIT)).toEqual(Array(RATE_LIMIT).fill(200));
      const refused = await send(limited.token);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await send('other-token-abcdef-0123456789abcdefghij')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  test('a body over 1 MiB: 413 before it is parsed', async () => {
    const big = JSON.stringify({
      ...LIST,
      params: { ...LIST.params, arguments: { action: 'search', query: 'x'.repeat(1024 * 1024 + 10) } },
    });
    const res = await post(big, server.token);
    expect(res.status).toBe(413);
    const small = await post(LIST, server.token);
    expect(small.status).toBe(200);
  });

  test('a body refused unparsed is answered for its id: nested too deep (id last), over 1 MiB as it arrives (id first)', async () => {
    const deep = await post(
      `{"jsonrpc":"2.0","method":"tools/list","params":{"x":${'['.repeat(100)}${']'.repeat(100)}},"id":"deep-1"}`,
      server.token,
    );
    expect([deep.status, await deep.json()]).toEqual([
      400,
      { jsonrpc: '2.0', id: 'deep-1', error: { code: -32600, message: expect.stringContaining('nests deeper than') } },
    ]);
    const head = new TextEncoder().encode('{"jsonrpc":"2.0","id":77,"method":"tools/call","params":{"q":"');
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(head);
        if (sent > 2 * 1024 * 1024) return controller.close();
        sent += 65536;
        controller.enqueue(new Uint8Array(65536).fill(0x78));
      },
    });
    const big = await fetch(server.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        Authorization: `Bearer ${server.token}`,
      },
      body,
      duplex: 'half',
    } as RequestInit);
    expect([big.status, await big.json()]).toEqual([
      413,
      { jsonrpc: '2.0', id: 77, error: expect.objectContaining({ code: -32600 }) },
    ]);
    expect((await post(LIST, server.token)).status).toBe(200);
  });

  test('a body that is not JSON: 400 parse error', async () => {
    const res = await post('{not json', server.token);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32700);
  });
});

describe('transport', () => {
  test('Accept without application/json is refused (406) as the real server does; Accept both answers JSON', async () => {
    expect((await post(LIST, server.token, 'text/event-stream')).status).toBe(406);
    const both = await post(LIST, server.token, 'text/event-stream, application/json');
    expect(both.status).toBe(200);
    expect(both.headers.get('content-type')).toMatch(/application\/json/);
  });

  test('GET /mcp is 405 (stateless), unknown paths 404', async () => {
    const get = await fetch(server.url, {
      headers: { Authorization: `Bearer ${server.token}`, Accept: 'text/event-stream' },
    });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(server.url.replace('/mcp', '/mcp/manage_task'), { method: 'POST' })).status).toBe(404);
  });

  test('GET /health says only that it is up, unless the caller authenticates: then version, uptime, task count', async () => {
    const health = server.url.replace(/\/mcp$/, '/health');
    const anonymous = await fetch(health);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ status: 'ok' });
    const known = (await (
      await fetch(health, { headers: { authorization: `Bearer ${server.token}` } })
    ).json()) as Record<string, unknown>;
    expect(known).toMatchObject({
      status: 'ok',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      tasks: server.db.countTasks(),
      auth: 'required',
    });
    expect(typeof known.uptime_s).toBe('number');
  });

  test('every tool call is logged with tool, principal, duration and outcome, never the token', async () => {
    const log = readFileSync(server.logFile, 'utf8');
    const calls = log
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'tool call');
    expect(calls.length).toBeGreaterThan(5);
    expect(calls).toContainEqual(
      expect.objectContaining({ tool: 'manage_project', principal: 'ci', outcome: 'denied', ms: expect.any(Number) }),
    );
    expect(calls).toContainEqual(
      expect.objectContaining({ tool: 'manage_task', action: 'list', principal: 'test', outcome: 'ok' }),
    );
    expect(calls).toContainEqual(expect.objectContaining({ principal: 'claude-hooks', outcome: 'ok' }));
    for (const secret of [server.token, 'ci-token-abcdef-0123456789abcdefghij', 'hooks-secret-123'])
      expect(log).not.toContain(secret);
  });
});

test('--no-auth equivalent: anyone on loopback may call; a non-loopback host is refused', async () => {
  const open = await startReferenceServer({ noAuth: true });
  try {
    const client = await connectHttp(open.url);
    expect((await envelope(client, 'manage_project', { action: 'list' })).success).toBe(true);
    await client.close();
  } finally {
    await open.close();
  }
  const { startHttpServer } = await import('../../src/server/index.js');
  const { silentLogger } = await import('../helpers/cache.js');
  await expect(
    startHttpServer({ host: '0.0.0.0', store: server.store, log: silentLogger(), auth: 'none' }),
  ).rejects.toThrow(/only on a loopback host/);
});
