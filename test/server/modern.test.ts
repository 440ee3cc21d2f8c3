// The stateless revision of MCP (2026-07-28) on POST /mcp, as Claude Code 2.1.330 speaks it: `server/discover` first,
// then tools/list and tools/call with no initialize; and the earlier revision's clients answered as before.
import { afterAll, beforeAll, expect, test } from 'vitest';
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

/** One request as the revision sends it: its version and method in headers and in `_meta`. */
async function modern(method: string, params: Record<string, unknown> = {}, version = '2026-07-28') {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${server.token}`,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'Mcp-Protocol-Version': version,
      'Mcp-Method': method,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: `${method}-1`, method, params: { ...params, _meta: META } }),
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
  const listed = await modern('tools/list', {}, '2025-06-18');
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
