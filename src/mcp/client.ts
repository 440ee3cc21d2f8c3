// A task server's tools over the MCP SDK's client side (its resource subscriptions: subscribe.ts). Everything above
// sees plain JSON payloads and TaskSourceErrors, whichever transport (Streamable HTTP, legacy SSE, stdio, in-memory)
// carried the call.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { isTaskSourceError, TaskSourceError } from '../errors/task-source.js';
import { toolFailure } from './classify.js';
import { GroupStdioTransport } from './stdio.js';
import { callFetch, noStreamableHttp, openClient, sdkRequest, streamableHttp } from './sdk-client.js';
import type { Deadline } from '../util/deadline.js';

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

export interface McpConnection {
  /** The URL, `stdio:<command …>` or label the connection reaches; used in every error message. */
  readonly server: string;
  /** Which transport answered: 'streamable-http', 'sse', 'stdio' or 'memory'. */
  readonly transport: string;
  /** Calls a tool and returns the JSON its first text content holds (or its structured content). */
  callTool(name: string, args: Record<string, unknown>, deadline: Deadline): Promise<unknown>;
  /** Calls a tool and returns its answer as it came, for a reader that knows no schema of it. */
  callToolAnswer(name: string, args: Record<string, unknown>, deadline: Deadline): Promise<ToolAnswer>;
  listTools(deadline: Deadline): Promise<string[]>;
  close(): Promise<void>;
}

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

/** What a tool answered, as a model would read it: its text contents in order, and its structured content if any. */
export interface ToolAnswer {
  texts: string[];
  structured?: unknown;
}

/** The tool result's text and structured content; a result marked isError is thrown as the tool's failure. */
function toolAnswer(server: string, tool: string, result: unknown): ToolAnswer {
  const r = result as {
    content?: Array<{ type?: string; text?: string }>;
    structuredContent?: unknown;
    isError?: boolean;
  };
  const texts = Array.isArray(r.content)
    ? r.content.flatMap((c) => (c.type === 'text' && typeof c.text === 'string' ? [c.text] : []))
    : [];
  if (r.isError) throw toolFailure(server, tool, texts[0] ?? 'the tool reported an error without a message');
  return r.structuredContent === undefined ? { texts } : { texts, structured: r.structuredContent };
}

/** The JSON a tool result carries: its first text content parsed, else its structured content. */
function resultPayload(server: string, tool: string, answer: ToolAnswer): unknown {
  const text = answer.texts[0];
  if (typeof text === 'string') {
    try {
      return JSON.parse(text);
    } catch {
      if (answer.structured !== undefined) return answer.structured;
      throw new TaskSourceError(
        'protocol',
        `Task server answered ${tool} with text that is not JSON: ${JSON.stringify(text.slice(0, 80))} (at ${server})`,
        {
          short: `unexpected ${tool} answer`,
          place: server,
        },
      );
    }
  }
  if (answer.structured !== undefined) return answer.structured;
  throw new TaskSourceError('protocol', `Task server answered ${tool} without a text content (at ${server})`, {
    short: `unexpected ${tool} answer`,
    place: server,
  });
}

function httpTransport(target: Extract<McpTarget, { kind: 'http' }>, legacy: boolean): Transport {
  const fetch = callFetch(target);
  if (legacy) return new SSEClientTransport(new URL(target.url), { fetch, eventSourceInit: { fetch } });
  return streamableHttp(target.url, fetch);
}

function stdioTransport(target: Extract<McpTarget, { kind: 'stdio' }>, stderrTail: string[]): Transport {
  const transport = new GroupStdioTransport(target);
  // Kept (last few lines) so a server that dies at start can say why; draining also keeps the pipe from filling.
  transport.stderr.on('data', (chunk: Buffer) => {
    stderrTail.push(chunk.toString('utf8'));
    while (stderrTail.length > 20) stderrTail.shift();
  });
  return transport;
}

/** What a transport's open gave: the client, and which transport answered. */
interface Opened {
  client: Client;
  transport: string;
}

/** Streamable HTTP, or legacy SSE where the server speaks no Streamable HTTP at that URL. */
async function openHttp(
  target: Extract<McpTarget, { kind: 'http' }>,
  server: string,
  deadline: Deadline,
): Promise<Opened> {
  try {
    return { client: await openClient(httpTransport(target, false), server, deadline), transport: 'streamable-http' };
  } catch (err) {
    if (noStreamableHttp(err) === undefined) throw err;
    return { client: await openClient(httpTransport(target, true), server, deadline), transport: 'sse' };
  }
}

/** A server started as a child; one that fails at start is said with the last lines it wrote to stderr. */
async function openStdio(
  target: Extract<McpTarget, { kind: 'stdio' }>,
  server: string,
  deadline: Deadline,
): Promise<Opened> {
  const stderrTail: string[] = [];
  const transport = stdioTransport(target, stderrTail);
  try {
    return { client: await openClient(transport, server, deadline), transport: 'stdio' };
  } catch (err) {
    await transport.close().catch(() => undefined);
    if (isTaskSourceError(err) && stderrTail.length > 0 && err.kind !== 'timeout') {
      const tail = stderrTail.join('').trim().split('\n').slice(-3).join(' | ');
      throw new TaskSourceError(err.kind, `${err.message} (server said: ${tail.slice(0, 300)})`, {
        short: err.short,
        place: server,
        cause: err,
      });
    }
    throw err;
  }
}

async function openMemory(
  target: Extract<McpTarget, { kind: 'memory' }>,
  server: string,
  deadline: Deadline,
): Promise<Opened> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await target.attach(serverSide);
  return { client: await openClient(clientSide, server, deadline), transport: 'memory' };
}

/** The connection's calls, each under its own deadline and said in TaskSourceErrors naming `server`. */
function connectionOver(server: string, { client, transport }: Opened): McpConnection {
  const callToolAnswer = async (
    name: string,
    args: Record<string, unknown>,
    callDeadline: Deadline,
  ): Promise<ToolAnswer> => {
    const result = await sdkRequest(server, callDeadline, (options) =>
      client.callTool({ name, arguments: args }, undefined, options),
    );
    return toolAnswer(server, name, result);
  };
  return {
    server,
    transport,
    callToolAnswer,
    async callTool(name, args, callDeadline) {
      return resultPayload(server, name, await callToolAnswer(name, args, callDeadline));
    },
    async listTools(callDeadline) {
      const result = await sdkRequest(server, callDeadline, (options) => client.listTools({}, options));
      return result.tools.map((t) => t.name);
    },
    async close() {
      await client.close().catch(() => undefined);
    },
  };
}

/** Connects (initialize included) within the deadline; Streamable HTTP falls back to legacy SSE on 400/404/405 only. */
export async function connect(target: McpTarget, deadline: Deadline): Promise<McpConnection> {
  const server = describeTarget(target);
  switch (target.kind) {
    case 'http':
      return connectionOver(server, await openHttp(target, server, deadline));
    case 'stdio':
      return connectionOver(server, await openStdio(target, server, deadline));
    case 'memory':
      return connectionOver(server, await openMemory(target, server, deadline));
  }
}
