// The stateless revision of MCP (2026-07-28) on POST /mcp, as Claude Code 2.1.330 speaks it: `server/discover` first,
// then tools/list and tools/call with no initialize; and the earlier revision's clients answered as before.
import type { IncomingMessage } from 'node:http';
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { answeredAtOnce } from '../../src/server/modern.js';
import listing from '../../src/server/session-listing.json' with { type: 'json' };
import { COMPATIBILITY, SESSION } from '../../src/server/tools/tool-families.js';
import { STATELESS_MCP_HEADERS } from '../helpers/mcp-headers.js';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';

let server: ReferenceServer;

beforeAll(async () => {
  server = await startReferenceServer({
    seed: async (_db, store) => {
      const { project } = await store.getOrCreateProject({ name: 'shop' });
      await store.createTask({ projectId: project.id, title: 'Fix the checkout total' });
    },
  });
});
afterAll(async () => {
  await server?.close();
});

const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'claude-code', version: '2.1.330' },
};

/** A request of the revision as the server reads it, for the listing's own function. */
const req = (headers: Record<string, string>) =>
  ({ headers: { ...STATELESS_MCP_HEADERS, ...headers }, url: '/mcp' }) as unknown as IncomingMessage;

/** A request's message as the revision sends it, its method in `_meta` too. */
const message = (method: string, params: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id: `${method}-1`,
  method,
  params: { ...params, _meta: META },
});

/** One request as the revision sends it: its version and method in headers and in `_meta`; a batch of one if asked. */
async function modern(
  method: string,
  params: Record<string, unknown> = {},
  { version = '2026-07-28', tools = '', batch = false } = {},
) {
  const res = await fetch(tools ? `${server.url}?tools=${tools}` : server.url, {
    method: 'POST',
    headers: {
      ...STATELESS_MCP_HEADERS,
      authorization: `Bearer ${server.token}`,
      'mcp-protocol-version': version,
      'mcp-method': method,
    },
    body: JSON.stringify(batch ? [message(method, params)] : message(method, params)),
  });
  return { status: res.status, body: (await res.json()) as { id: string; result?: Record<string, unknown> } };
}

test('server/discover names the revision and the tools alone, with no initialize before it', async () => {
  const { status, body } = await modern('server/discover');
  expect(status).toBe(200);
  expect(body.id).toBe('server/discover-1');
  expect(body.result).toMatchObject({
    resultType: 'complete',
    capabilities: { tools: {} },
    _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'taskhooks-reference' } },
  });
  expect(body.result?.supportedVersions).toEqual(expect.arrayContaining(['2026-07-28', '2025-11-25']));
  // The task resources would cost a session another list before its first request.
  expect(Object.keys(body.result?.capabilities as object)).toEqual(['tools']);
});

test('tools/list and tools/call of the revision are answered complete, lists with a cache hint', async () => {
  const listed = await modern('tools/list');
  expect(listed.status).toBe(200);
  expect(listed.body.result).toMatchObject({ resultType: 'complete', ttlMs: 0, cacheScope: 'private' });
  const names = ((listed.body.result?.tools ?? []) as { name: string }[]).map((t) => t.name);
  expect(names).toContain('manage_task');

  const called = await modern('tools/call', { name: 'manage_task', arguments: { action: 'list', project_id: 'shop' } });
  expect(called.status).toBe(200);
  expect(called.body.result?.resultType).toBe('complete');
  expect(called.body.result?.isError).not.toBe(true);
  expect(JSON.stringify(called.body.result?.content)).toContain('Fix the checkout total');
  expect(called.body.result).not.toHaveProperty('ttlMs');
});

test('a client of the earlier revision gets what the SDK gives it: no discover fields on its answers', async () => {
  const listed = await modern('tools/list', {}, { version: '2025-06-18' });
  expect(listed.status).toBe(200);
  expect(listed.body.result).not.toHaveProperty('resultType');
  expect(listed.body.result).not.toHaveProperty('ttlMs');
});

test('discover still asks for the token', async () => {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: META } }),
  });
  expect(res.status).toBe(401);
});

test("a session's discover and tools/list answered from the derived listing equal the SDK server's answers", async () => {
  // A batch of one goes to a pooled SDK server, and is answered as one message.
  for (const method of ['server/discover', 'tools/list']) {
    const derived = answeredAtOnce(req({}), message(method), SESSION);
    const pooled = await modern(method, {}, { tools: 'session', batch: true });
    expect(derived, 'src/server/session-listing.json: run npm run derive').toEqual(pooled.body);
    const served = await modern(method, {}, { tools: 'session' });
    expect(served.status).toBe(200);
    expect(served.body).toEqual(derived);
  }
  expect(listing.earlierProtocolVersions).toEqual(SUPPORTED_PROTOCOL_VERSIONS);
  expect(listing.sessionToolsList.tools.map((t) => t.name)).toEqual(['list_tasks', 'add_task', 'update_task']);
});

test('the derived listing answers only what it holds: the rest goes to the SDK server', () => {
  expect(answeredAtOnce(req({}), message('tools/list'), SESSION)).toMatchObject({
    result: { tools: expect.any(Array) },
  });
  expect(answeredAtOnce(req({}), message('server/discover'), SESSION)).toMatchObject({
    result: { capabilities: { tools: {} } },
  });
  for (const [why, request, body, tools] of [
    ['the compatibility families', req({}), message('tools/list'), COMPATIBILITY],
    ['a later page', req({}), message('tools/list', { cursor: 'x' }), SESSION],
    ['a tool call', req({}), message('tools/call', { name: 'list_tasks' }), SESSION],
    ['a batch', req({}), [message('tools/list')], SESSION],
    ['the earlier revision', req({ 'mcp-protocol-version': '2025-06-18' }), message('tools/list'), SESSION],
    ['no event stream accepted', req({ accept: 'application/json' }), message('tools/list'), SESSION],
    ['a body not JSON-RPC', req({}), { ...message('tools/list'), jsonrpc: '1.0' }, SESSION],
  ] as const)
    expect(answeredAtOnce(request, body, tools), why).toBeUndefined();
});
