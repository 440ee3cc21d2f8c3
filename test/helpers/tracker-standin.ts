// A third-party task-tracking server on 127.0.0.1 (the service itself cannot run here): the SDK's MCP server over
// stateless Streamable HTTP, with the service's tools over tasks the test holds, and on demand a `list_tasks` of
// another kind (prose), one that numbers nothing, or one that numbers its changes and answers `since` with what the
// test says changed.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';

/** A task as the service sends it; `id` and `status` are all the stand-in reads of it. */
export type RawTask = Record<string, unknown> & { task_id: string; status: string };

export interface TrackerStandinOptions {
  /**
   * `none`: the service's own tools only; `prose`: a list_tasks of another kind, answering text for a model;
   * `unnumbered`: a list without `sequence`; `numbered`: the delta too.
   */
  list: 'none' | 'prose' | 'unnumbered' | 'numbered';
  tasks: RawTask[];
}

export interface TrackerStandin {
  url: string;
  /** The tools called, in order. */
  calls: string[];
  /** What `list_tasks` answers whole (and `get_next_task` picks from). */
  tasks: RawTask[];
  /** The numbered list's sequence, and what a `since` call answers as changed (items that may not fit). */
  sequence: number;
  changed: unknown[];
  /** How many tasks the numbered list says the project holds: more than it lists when set so. */
  total?: number;
  close(): Promise<void>;
}

const text = (value: unknown): CallToolResult => ({ content: [{ type: 'text', text: JSON.stringify(value) }] });
const NEXT_OF: Record<string, string[]> = { pending: ['pending', 'in_progress'] };

function serverFor(state: TrackerStandin, opts: TrackerStandinOptions): McpServer {
  const server = new McpServer({ name: 'task-tracking-standin', version: '1.0.0' });
  const called = (tool: string): void => void state.calls.push(tool);
  server.registerTool(
    'get_next_task',
    { inputSchema: { project_id: z.string(), status_filter: z.string().default('pending') } },
    async ({ status_filter }) => {
      called('get_next_task');
      const statuses = NEXT_OF[status_filter] ?? [status_filter];
      return text(state.tasks.find((t) => statuses.includes(t.status)) ?? null);
    },
  );
  for (const tool of ['update_task_status', 'add_task'])
    server.registerTool(tool, { inputSchema: {} }, async () => {
      called(tool);
      return { content: [{ type: 'text', text: `${tool} is not played by this stand-in` }], isError: true };
    });
  if (opts.list === 'none') return server;
  server.registerTool(
    'list_tasks',
    { inputSchema: { project_id: z.string(), since: z.number().int().optional() } },
    async ({ since }) => {
      called(since === undefined ? 'list_tasks' : 'list_tasks since');
      if (opts.list === 'prose')
        return { content: [{ type: 'text', text: state.tasks.map((t) => `- ${t.task_id}: ${t.status}`).join('\n') }] };
      if (opts.list === 'unnumbered') return text({ tasks: state.tasks });
      if (since === undefined)
        return text({ sequence: state.sequence, tasks: state.tasks, total: state.total ?? state.tasks.length });
      return text({ sequence: state.sequence, full: false, tasks: state.changed, deleted_task_ids: [] });
    },
  );
  return server;
}

export async function startTrackerStandin(opts: TrackerStandinOptions): Promise<TrackerStandin> {
  const sockets = new Set<Socket>();
  const http_ = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const server = serverFor(state, opts);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on('close', () => void server.close());
      const raw = Buffer.concat(chunks).toString('utf8');
      const body: unknown = raw ? JSON.parse(raw) : undefined;
      void server.connect(transport).then(() => transport.handleRequest(req, res, body));
    });
  });
  http_.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => http_.listen(0, '127.0.0.1', resolve));
  const state: TrackerStandin = {
    url: `http://127.0.0.1:${(http_.address() as AddressInfo).port}/mcp`,
    calls: [],
    tasks: opts.tasks,
    sequence: 1,
    changed: [],
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => http_.close(() => resolve()));
    },
  };
  return state;
}
