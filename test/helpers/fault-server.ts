// A minimal stateless MCP server (agenthub tools) that misbehaves on demand: what no real server does when asked.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'blackhole' }
  | { kind: 'malformed' }
  | { kind: 'huge'; bytes?: number }
  | { kind: 'reset' };

export interface SeenRequest {
  at: number;
  method: string;
  authorization: string | undefined;
}

export interface FaultServer {
  url: string;
  requests: SeenRequest[];
  /** Faults applied to the next POSTs, one each, before normal answers resume. */
  queue(...faults: Fault[]): void;
  /** A fault applied to every POST until cleared with undefined. */
  always(fault: Fault | undefined): void;
  close(): Promise<void>;
}

export interface FaultServerOptions {
  /** Bearer token required when set (401 otherwise). */
  token?: string;
  project?: string;
  branch?: string;
  /** What manage_task list answers instead of its one task: items a real server would never send, say. */
  tasks?: unknown[];
}

const envelope = (data: unknown): string => JSON.stringify({ status: 'success', success: true, operation: 'x', data });

function toolAnswer(name: string, args: Record<string, unknown>, opts: FaultServerOptions): string {
  const project = opts.project ?? 'demo';
  const branch = opts.branch ?? 'main';
  const task = {
    id: 't1',
    title: 'Fix the login bug',
    description: '',
    git_branch_id: 'b1',
    status: 'todo',
    priority: 'high',
    assignees: [],
    labels: [],
    dependencies: [],
  };
  if (name === 'manage_project') return envelope({ projects: [{ id: 'p1', name: project }] });
  // A single object where a list belongs, as the real server has been seen to answer.
  if (name === 'manage_git_branch') return envelope({ git_branchs: { id: 'b1', name: branch } });
  if (name === 'manage_task' && args.action === 'next') return envelope({ task: { has_next: true, next_item: task } });
  if (name === 'manage_task' && args.action === 'get') return envelope({ task: { ...task, id: String(args.task_id) } });
  const tasks = opts.tasks ?? [task];
  return envelope({ tasks, count: tasks.length });
}

function answer(
  body: { id?: unknown; method?: string; params?: Record<string, unknown> },
  opts: FaultServerOptions,
): unknown {
  switch (body.method) {
    case 'initialize':
      return {
        protocolVersion: body.params?.protocolVersion ?? '2025-06-18',
        capabilities: { tools: {} },
        serverInfo: { name: 'fault-server', version: '1.0.0' },
      };
    case 'tools/list':
      return {
        tools: ['manage_task', 'manage_git_branch', 'manage_project'].map((name) => ({
          name,
          inputSchema: { type: 'object' },
        })),
      };
    case 'tools/call': {
      const name = String(body.params?.name);
      const text = toolAnswer(name, (body.params?.arguments ?? {}) as Record<string, unknown>, opts);
      return { content: [{ type: 'text', text }], isError: false };
    }
    default:
      return {};
  }
}

export async function startFaultServer(opts: FaultServerOptions = {}): Promise<FaultServer> {
  const pending: Fault[] = [];
  let persistent: Fault | undefined;
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST') {
      requests.push({ at: Date.now(), method: `HTTP ${req.method}`, authorization: req.headers.authorization });
      res.writeHead(405).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
        id?: unknown;
        method?: string;
        params?: Record<string, unknown>;
      };
      requests.push({ at: Date.now(), method: body.method ?? '?', authorization: req.headers.authorization });
      const fault = pending.shift() ?? persistent;
      if (fault?.kind === 'blackhole') return; // accepted, never answered
      if (fault?.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'status') {
        res
          .writeHead(fault.status, {
            'content-type': 'text/plain',
            ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}),
          })
          .end(`fault ${fault.status}`);
        return;
      }
      if (opts.token && req.headers.authorization !== `Bearer ${opts.token}`) {
        res.writeHead(401, { 'www-authenticate': 'Bearer' }).end('unauthorized');
        return;
      }
      if (body.id === undefined) {
        res.writeHead(202).end();
        return;
      }
      if (fault?.kind === 'malformed') {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ hello: 'not json-rpc', id: body.id }));
        return;
      }
      if (fault?.kind === 'huge') {
        const size = fault.bytes ?? 10 * 1024 * 1024;
        const text = envelope({ tasks: [], padding: 'x'.repeat(size) });
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ jsonrpc: '2.0', id: body.id, result: { content: [{ type: 'text', text }] } }));
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ jsonrpc: '2.0', id: body.id, result: answer(body, opts) }));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    queue: (...faults) => pending.push(...faults),
    always: (fault) => {
      persistent = fault;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A URL on which nothing listens: connections are refused. */
export async function refusedUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/mcp`;
}
