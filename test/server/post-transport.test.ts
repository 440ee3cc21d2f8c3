// POST /mcp answers as the SDK's own Streamable HTTP transport (stateless, JSON responses) would: the same requests
// sent to the reference server and to a server built on the SDK transport over the same store get the same status,
// content type and body (the envelope's operation id and time aside), refusals included.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTaskServer } from '../../src/server/index.js';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';

let ours: ReferenceServer;
let sdk: http.Server;
let sdkUrl: string;

beforeAll(async () => {
  ours = await startReferenceServer({
    noAuth: true,
    seed: async (_db, store) => {
      const { project } = await store.getOrCreateProject({ name: 'shop' });
      for (let i = 0; i < 3; i++) await store.createTask({ projectId: project.id, title: `Task ${i}` });
    },
  });
  const log = (await import('../../src/log/index.js')).createFileLogger({
    home: ours.home,
    file: 'sdk.log',
    sync: true,
  }).logger;
  sdk = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const server = createTaskServer({ store: ours.store, log });
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on('close', () => void server.close());
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      void server.connect(transport).then(() => transport.handleRequest(req, res, body));
    });
  });
  await new Promise<void>((r) => sdk.listen(0, '127.0.0.1', () => r()));
  sdkUrl = `http://127.0.0.1:${(sdk.address() as AddressInfo).port}/mcp`;
});
afterAll(async () => {
  await ours?.close();
  await new Promise((r) => sdk?.close(r));
});

const JSON_AND_SSE = 'application/json, text/event-stream';

interface Answer {
  status: number;
  type: string | null;
  body: unknown;
}

/** The envelope's fresh id and time differ on every call, wherever they are nested. */
function steady(value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith('{"status"')) return steady(JSON.parse(value));
  if (Array.isArray(value)) return value.map(steady);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === 'operation_id' || k === 'timestamp' ? '…' : steady(v)]),
  );
}

async function send(url: string, body: unknown, headers: Record<string, string>): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: JSON_AND_SSE, ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const type = res.headers.get('content-type');
  return { status: res.status, type: type?.split(';')[0] ?? null, body: text ? steady(JSON.parse(text)) : '' };
}

const call = (id: number, name: string, args: Record<string, unknown>) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args },
});
const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } },
};

const CASES: [string, unknown, Record<string, string>][] = [
  ['a tool call', call(7, 'manage_task', { action: 'list', project_id: 'shop' }), {}],
  ['a tool call the store refuses', call(8, 'manage_task', { action: 'list', project_id: 'nowhere' }), {}],
  ['arguments the schema refuses', call(9, 'manage_task', { action: 7 }), {}],
  ['initialize', initialize, {}],
  ['a batch of two requests', [{ jsonrpc: '2.0', id: 'a', method: 'tools/list' }, call(2, 'list_tasks', {})], {}],
  ['an unknown method', { jsonrpc: '2.0', id: 3, method: 'no/such' }, {}],
  ['a notification alone', { jsonrpc: '2.0', method: 'notifications/initialized' }, {}],
  ['Accept without text/event-stream', call(1, 'manage_task', { action: 'list' }), { Accept: 'application/json' }],
  ['Content-Type text/plain', call(1, 'manage_task', { action: 'list' }), { 'Content-Type': 'text/plain' }],
  [
    'a supported protocol version',
    call(1, 'manage_task', { action: 'list' }),
    { 'Mcp-Protocol-Version': '2025-06-18' },
  ],
  ['not a JSON-RPC message', { hello: 'world' }, {}],
  ['initialize in a batch', [initialize, { jsonrpc: '2.0', id: 2, method: 'tools/list' }], {}],
  ['a batch over 100 messages', Array.from({ length: 101 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'ping' })), {}],
];

test.each(CASES)('%s: the same answer as the SDK transport', async (_what, body, headers) => {
  const [mine, theirs] = [await send(ours.url, body, headers), await send(sdkUrl, body, headers)];
  expect(mine).toEqual(theirs);
});

// The one answer worded otherwise: the versions it lists include the stateless revision this server also speaks.
test('an unsupported protocol version: refused as the SDK transport refuses it, every served version named', async () => {
  const headers = { 'Mcp-Protocol-Version': '1999-01-01' };
  const body = call(1, 'manage_task', { action: 'list' });
  const [mine, theirs] = [await send(ours.url, body, headers), await send(sdkUrl, body, headers)];
  expect({ ...mine, body: undefined }).toEqual({ ...theirs, body: undefined });
  expect(mine.status).toBe(400);
  expect(mine.body).toMatchObject({ error: { code: -32000, message: expect.stringContaining('1999-01-01') } });
  expect(JSON.stringify(mine.body)).toContain('2026-07-28, 2025-11-25');
});

test('the cases cover success, refusals and the empty 202', async () => {
  const statuses = new Set<number>();
  for (const [, body, headers] of CASES) statuses.add((await send(ours.url, body, headers)).status);
  expect([...statuses].sort()).toEqual([200, 202, 400, 406, 415]);
});
