// The only module that talks to the MCP SDK's client side. Everything above it sees plain JSON payloads and
// TaskSourceErrors, whichever transport (Streamable HTTP, legacy SSE, stdio, in-memory) carried the call.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { TaskSourceError, timedOut } from '../errors/task-source.js';
import { classifyError, toolFailure } from './classify.js';
import { CallContext, makeFetch, type CallState } from './fetch.js';
import { packageVersion } from '../util/package.js';

export type McpTarget =
  | {
      kind: 'http';
      url: string;
      /** Asked before every request, so a refreshed token is used at once. */
      headers?: () => Promise<Record<string, string>> | Record<string, string>;
      maxResponseBytes?: number;
    }
  | { kind: 'stdio'; command: string; args: string[]; env?: Record<string, string>; cwd?: string }
  | { kind: 'memory'; label: string; attach: (serverSide: Transport) => Promise<void> };

export interface CallOptions {
  /** The whole call, connection set-up included when it happens here, must finish within this. */
  deadlineMs: number;
  signal?: AbortSignal;
}

export interface McpConnection {
  /** The URL, `stdio:<command …>` or label the connection reaches; used in every error message. */
  readonly server: string;
  /** Which transport answered: 'streamable-http', 'sse', 'stdio' or 'memory'. */
  readonly transport: string;
  /** Calls a tool and returns the JSON its first text content holds (or its structured content). */
  callTool(name: string, args: Record<string, unknown>, opts: CallOptions): Promise<unknown>;
  listTools(opts: CallOptions): Promise<string[]>;
  close(): Promise<void>;
}

/** 4 MiB: a task list is kilobytes; anything near this is a misbehaving server, not data worth buffering. */
const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

function describeTarget(target: McpTarget): string {
  switch (target.kind) {
    case 'http':
      return target.url;
    case 'stdio':
      return `stdio:${[target.command, ...target.args].join(' ')}`;
    case 'memory':
      return target.label;
  }
}

/**
 * Runs `fn` under one deadline: an AbortSignal that fires at `deadlineMs` (or when the caller aborts) is handed to
 * every fetch made on the call's behalf, so a black-holed server costs the deadline and not a socket timeout.
 */
async function withDeadline<T>(server: string, opts: CallOptions, fn: (signal: AbortSignal, state: CallState) => Promise<T>): Promise<T> {
  if (opts.signal?.aborted) throw aborted(server);
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new Error(`deadline of ${opts.deadlineMs} ms passed`));
  }, Math.max(1, opts.deadlineMs));
  const onAbort = (): void => controller.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const state: CallState = { signal: controller.signal };
  try {
    return await CallContext.run(state, () => fn(controller.signal, state));
  } catch (err) {
    if (expired) throw timedOut(server, opts.deadlineMs, err);
    if (opts.signal?.aborted) throw aborted(server);
    throw classifyError(err, server, state);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

function aborted(server: string): TaskSourceError {
  return new TaskSourceError('timeout', `Task source call cancelled at ${server}`, { short: 'cancelled', place: server });
}

function parsePayload(server: string, tool: string, result: unknown): unknown {
  const r = result as { content?: Array<{ type?: string; text?: string }>; structuredContent?: unknown; isError?: boolean };
  const text = Array.isArray(r.content) ? r.content.find((c) => c.type === 'text')?.text : undefined;
  if (r.isError) throw toolFailure(server, tool, text ?? 'the tool reported an error without a message');
  if (typeof text === 'string') {
    try {
      return JSON.parse(text);
    } catch {
      if (r.structuredContent !== undefined) return r.structuredContent;
      throw new TaskSourceError('protocol', `Task server answered ${tool} with text that is not JSON: ${JSON.stringify(text.slice(0, 80))} (at ${server})`, {
        short: `unexpected ${tool} answer`,
        place: server,
      });
    }
  }
  if (r.structuredContent !== undefined) return r.structuredContent;
  throw new TaskSourceError('protocol', `Task server answered ${tool} without a text content (at ${server})`, {
    short: `unexpected ${tool} answer`,
    place: server,
  });
}

function httpTransport(target: Extract<McpTarget, { kind: 'http' }>, legacy: boolean): Transport {
  const fetch = makeFetch({ headers: target.headers, maxResponseBytes: target.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES });
  const url = new URL(target.url);
  if (legacy) return new SSEClientTransport(url, { fetch, eventSourceInit: { fetch } });
  // No reconnection: a hook has no time for it, and the next refresh starts afresh anyway.
  return new StreamableHTTPClientTransport(url, {
    fetch,
    reconnectionOptions: { maxRetries: 0, initialReconnectionDelay: 1000, maxReconnectionDelay: 1000, reconnectionDelayGrowFactor: 1 },
  });
}

function stdioTransport(target: Extract<McpTarget, { kind: 'stdio' }>, stderrTail: string[]): Transport {
  const transport = new StdioClientTransport({
    command: target.command,
    args: target.args,
    env: { ...getDefaultEnvironment(), ...(target.env ?? {}) },
    ...(target.cwd ? { cwd: target.cwd } : {}),
    stderr: 'pipe',
  });
  // Kept (last few lines) so a server that dies at start can say why; draining also keeps the pipe from filling.
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderrTail.push(chunk.toString('utf8'));
    while (stderrTail.length > 20) stderrTail.shift();
  });
  return transport;
}

async function open(transport: Transport, server: string, opts: CallOptions): Promise<Client> {
  const client = new Client({ name: 'taskhooks', version: packageVersion() });
  await withDeadline(server, opts, (signal) => client.connect(transport, { signal, timeout: opts.deadlineMs + 1000 }));
  return client;
}

const FALLBACK_STATUSES = new Set([400, 404, 405]);

/** Connects (initialize included) within the deadline; Streamable HTTP falls back to legacy SSE on 400/404/405 only. */
export async function connect(target: McpTarget, opts: CallOptions): Promise<McpConnection> {
  const server = describeTarget(target);
  const started = Date.now();
  const stderrTail: string[] = [];
  let transport: Transport;
  let kind: string;
  let client: Client;
  switch (target.kind) {
    case 'http': {
      try {
        transport = httpTransport(target, false);
        kind = 'streamable-http';
        client = await open(transport, server, opts);
      } catch (err) {
        const cause = err instanceof TaskSourceError ? err.cause : undefined;
        if (!(cause instanceof StreamableHTTPError) || !FALLBACK_STATUSES.has(cause.code ?? 0)) throw err;
        transport = httpTransport(target, true);
        kind = 'sse';
        const left = Math.max(1, opts.deadlineMs - (Date.now() - started));
        client = await open(transport, server, { ...opts, deadlineMs: left });
      }
      break;
    }
    case 'stdio': {
      transport = stdioTransport(target, stderrTail);
      kind = 'stdio';
      try {
        client = await open(transport, server, opts);
      } catch (err) {
        await transport.close().catch(() => undefined);
        if (err instanceof TaskSourceError && stderrTail.length > 0 && err.kind !== 'timeout') {
          const tail = stderrTail.join('').trim().split('\n').slice(-3).join(' | ');
          throw new TaskSourceError(err.kind, `${err.message} (server said: ${tail.slice(0, 300)})`, { short: err.short, place: server, cause: err });
        }
        throw err;
      }
      break;
    }
    case 'memory': {
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await target.attach(serverSide);
      transport = clientSide;
      kind = 'memory';
      client = await open(transport, server, opts);
      break;
    }
  }
  return {
    server,
    transport: kind,
    async callTool(name, args, callOpts) {
      const result = await withDeadline(server, callOpts, (signal) =>
        client.callTool({ name, arguments: args }, undefined, { signal, timeout: callOpts.deadlineMs + 1000 }),
      );
      return parsePayload(server, name, result);
    },
    async listTools(callOpts) {
      const result = await withDeadline(server, callOpts, (signal) => client.listTools({}, { signal, timeout: callOpts.deadlineMs + 1000 }));
      return result.tools.map((t) => t.name);
    },
    async close() {
      await client.close().catch(() => undefined);
    },
  };
}
