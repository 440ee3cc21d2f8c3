// The only module that talks to the MCP SDK's client side. Everything above it sees plain JSON payloads and
// TaskSourceErrors, whichever transport (Streamable HTTP, legacy SSE, stdio, in-memory) carried the call.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ResourceUpdatedNotificationSchema, type ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { deadlineEnded, isTaskSourceError, TaskSourceError } from '../errors/task-source.js';
import { classifyError, toolFailure } from './classify.js';
import { GroupStdioTransport } from './stdio.js';
import { CallContext, makeFetch, type CallState } from './fetch.js';
import { CHANGES_META, PUSH_OFF_CAPABILITY, SEQUENCE_META } from '../server/resource-uri.js';
import { schemaChecksOfOurOwn } from '../util/json-schema.js';
import { packageVersion } from '../util/package.js';
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
 * Runs `fn` under the deadline: its signal is handed to every fetch made on the call's behalf, so a black-holed
 * server costs the deadline and not a socket timeout, and the failure says which of the two ended the call.
 */
async function withDeadline<T>(
  server: string,
  deadline: Deadline,
  fn: (signal: AbortSignal, state: CallState) => Promise<T>,
): Promise<T> {
  const outer = deadline.signal;
  if (outer.aborted) throw deadlineEnded(server, deadline);
  // The SDK adds an abort listener per request and never removes it, and node holds a timeout signal that has
  // listeners until it fires: every answer (tens of KB a page) would stay reachable for the whole deadline. The call
  // gets a signal of its own instead, unlinked from the deadline when it ends, so its answer can go at once.
  const own = new AbortController();
  const forward = (): void => own.abort(outer.reason);
  outer.addEventListener('abort', forward, { once: true });
  const state: CallState = { signal: own.signal };
  try {
    return await CallContext.run(state, () => fn(own.signal, state));
  } catch (err) {
    if (outer.aborted) throw deadlineEnded(server, deadline, err);
    throw classifyError(err, server, state);
  } finally {
    outer.removeEventListener('abort', forward);
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
  const fetch = makeFetch({
    headers: target.headers,
    maxResponseBytes: target.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
  });
  const url = new URL(target.url);
  if (legacy) return new SSEClientTransport(url, { fetch, eventSourceInit: { fetch } });
  // No reconnection: a hook has no time for it, and the next refresh starts afresh anyway.
  return new StreamableHTTPClientTransport(url, {
    fetch,
    reconnectionOptions: {
      maxRetries: 0,
      initialReconnectionDelay: 1000,
      maxReconnectionDelay: 1000,
      reconnectionDelayGrowFactor: 1,
    },
  });
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

/** The SDK's own request timeout: past the deadline, so the deadline's signal is what ends a slow call. */
const sdkTimeout = (deadline: Deadline): number => deadline.left() + 1000;

async function open(transport: Transport, server: string, deadline: Deadline): Promise<Client> {
  const client = new Client(
    { name: 'taskhooks', version: packageVersion() },
    { jsonSchemaValidator: schemaChecksOfOurOwn },
  );
  await withDeadline(server, deadline, (signal) =>
    client.connect(transport, { signal, timeout: sdkTimeout(deadline) }),
  );
  return client;
}

const FALLBACK_STATUSES = new Set([400, 404, 405]);

/** Connects (initialize included) within the deadline; Streamable HTTP falls back to legacy SSE on 400/404/405 only. */
export async function connect(target: McpTarget, deadline: Deadline): Promise<McpConnection> {
  const server = describeTarget(target);
  const stderrTail: string[] = [];
  let transport: Transport;
  let kind: string;
  let client: Client;
  switch (target.kind) {
    case 'http': {
      try {
        transport = httpTransport(target, false);
        kind = 'streamable-http';
        client = await open(transport, server, deadline);
      } catch (err) {
        const cause = isTaskSourceError(err) ? err.cause : undefined;
        if (!(cause instanceof StreamableHTTPError) || !FALLBACK_STATUSES.has(cause.code ?? 0)) throw err;
        transport = httpTransport(target, true);
        kind = 'sse';
        client = await open(transport, server, deadline);
      }
      break;
    }
    case 'stdio': {
      transport = stdioTransport(target, stderrTail);
      kind = 'stdio';
      try {
        client = await open(transport, server, deadline);
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
      break;
    }
    case 'memory': {
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await target.attach(serverSide);
      transport = clientSide;
      kind = 'memory';
      client = await open(transport, server, deadline);
      break;
    }
  }
  const callToolAnswer = async (
    name: string,
    args: Record<string, unknown>,
    callDeadline: Deadline,
  ): Promise<ToolAnswer> => {
    const result = await withDeadline(server, callDeadline, (signal) =>
      client.callTool({ name, arguments: args }, undefined, { signal, timeout: sdkTimeout(callDeadline) }),
    );
    return toolAnswer(server, name, result);
  };
  return {
    server,
    transport: kind,
    callToolAnswer,
    async callTool(name, args, callDeadline) {
      return resultPayload(server, name, await callToolAnswer(name, args, callDeadline));
    },
    async listTools(callDeadline) {
      const result = await withDeadline(server, callDeadline, (signal) =>
        client.listTools({}, { signal, timeout: sdkTimeout(callDeadline) }),
      );
      return result.tools.map((t) => t.name);
    },
    async close() {
      await client.close().catch(() => undefined);
    },
  };
}

/** A live subscription to resource changes; `ended` settles (never rejects) with why it ended. */
export interface ResourceSubscription {
  readonly server: string;
  readonly ended: Promise<string>;
  close(): Promise<void>;
}

export type SubscribeOutcome =
  | { subscribed: true; subscription: ResourceSubscription }
  | { subscribed: false; why: string; fix?: string };

/** What a server that declares it cannot push says (taskhooks serve whose change feed hears nothing), if it does. */
function pushOff(capabilities: ServerCapabilities | undefined): { why: string; fix?: string } | undefined {
  const off = capabilities?.experimental?.[PUSH_OFF_CAPABILITY] as { off?: unknown; fix?: unknown } | undefined;
  if (typeof off?.off !== 'string') return undefined;
  return { why: `the server says: ${off.off}`, ...(typeof off.fix === 'string' && { fix: off.fix }) };
}

/**
 * Opens a live connection to a Streamable HTTP server, checks that it offers `resources/subscribe`, opens its standalone event
 * stream, subscribes to `uris` and calls `onUpdated` for every `notifications/resources/updated`. Resolves once the
 * stream is open and every subscription is accepted, so no change after that moment goes unheard. A server that does
 * not offer subscriptions (or streams) resolves `subscribed: false`; one that cannot be reached or refuses throws a
 * TaskSourceError. The SDK's own reconnection is off: a dropped stream ends the subscription, and the caller decides
 * when to try again.
 */
export async function subscribeResources(
  target: Extract<McpTarget, { kind: 'http' }>,
  uris: readonly string[],
  onUpdated: (uri: string, sequence?: number, changes?: unknown) => void,
  deadline: Deadline,
): Promise<SubscribeOutcome> {
  const server = target.url;
  let streamOpened: (ok: boolean) => void = () => undefined;
  const streamOpen = new Promise<boolean>((resolve) => (streamOpened = resolve));
  const calls = makeFetch({
    headers: target.headers,
    maxResponseBytes: target.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
  });
  // The event stream outlives the call that opened it: no deadline of that call, no size cap (it is read as it comes).
  const stream = makeFetch({ headers: target.headers, maxResponseBytes: Number.POSITIVE_INFINITY });
  const fetch = async (url: string | URL, init?: RequestInit): Promise<Response> => {
    if (init?.method !== 'GET') return calls(url, init);
    const response = await CallContext.exit(() => stream(url, init));
    streamOpened(response.ok);
    return response;
  };
  const transport = new StreamableHTTPClientTransport(new URL(target.url), {
    fetch,
    reconnectionOptions: {
      maxRetries: 0,
      initialReconnectionDelay: 1000,
      maxReconnectionDelay: 1000,
      reconnectionDelayGrowFactor: 1,
    },
  });
  let endedWith: (why: string) => void = () => undefined;
  const ended = new Promise<string>((resolve) => (endedWith = resolve));
  let client: Client;
  try {
    client = await open(transport, server, deadline);
  } catch (err) {
    const cause = err instanceof TaskSourceError ? err.cause : undefined;
    if (cause instanceof StreamableHTTPError && FALLBACK_STATUSES.has(cause.code ?? 0))
      return { subscribed: false, why: `no live endpoint (HTTP ${cause.code})` };
    throw err;
  }
  const close = async (): Promise<void> => {
    endedWith('closed');
    await client.close().catch(() => undefined);
  };
  // With reconnection off, a stream that ends or breaks is reported here; so is a server that went away.
  client.onerror = (err) => endedWith(`stream ended: ${err instanceof Error ? err.message : String(err)}`);
  client.onclose = () => endedWith('connection closed');
  try {
    const capabilities = client.getServerCapabilities();
    if (!capabilities?.resources?.subscribe) {
      await close();
      return {
        subscribed: false,
        ...(pushOff(capabilities) ?? { why: 'the server does not offer resource subscriptions' }),
      };
    }
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      // taskhooks serve tells the store's change sequence in _meta, and often the changes (checked by who applies
      // them); another server's notification has neither.
      const sequence = n.params._meta?.[SEQUENCE_META];
      onUpdated(n.params.uri, typeof sequence === 'number' ? sequence : undefined, n.params._meta?.[CHANGES_META]);
    });
    const opened = await Promise.race([
      streamOpen,
      new Promise<boolean>((resolve) =>
        deadline.signal.addEventListener('abort', () => resolve(false), { once: true }),
      ),
    ]);
    if (!opened) {
      await close();
      if (deadline.signal.aborted) throw deadlineEnded(server, deadline);
      return { subscribed: false, why: 'the server offers no event stream' };
    }
    for (const uri of uris) {
      await withDeadline(server, deadline, (signal) =>
        client.subscribeResource({ uri }, { signal, timeout: sdkTimeout(deadline) }),
      );
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { subscribed: true, subscription: { server, ended, close } };
}
