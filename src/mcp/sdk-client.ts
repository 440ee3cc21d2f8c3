// The SDK's Client as both of this folder's uses open and call it, a tool connection (client.ts) and a resource
// subscription (subscribe.ts): every request under a Deadline, and what a Streamable HTTP server's refusal means.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { deadlineEnded, isTaskSourceError } from '../errors/task-source.js';
import { schemaChecksOfOurOwn } from '../util/json-schema.js';
import { packageVersion } from '../util/package.js';
import type { Deadline } from '../util/deadline.js';
import { classifyError } from './classify.js';
import { CallContext, makeFetch, type CallState, type FetchOptions } from './fetch.js';

/** 4 MiB: a task list is kilobytes; anything near this is a misbehaving server, not data worth buffering. */
const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** No reconnection: a hook has no time for it, and the next refresh (or subscription) starts afresh anyway. */
const NO_RECONNECTION = {
  maxRetries: 0,
  initialReconnectionDelay: 1000,
  maxReconnectionDelay: 1000,
  reconnectionDelayGrowFactor: 1,
};

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

/**
 * An SDK request under the deadline (withDeadline), its options the call's signal and the SDK's own timeout, set past
 * the deadline so the deadline's signal is what ends a slow call.
 */
export function sdkRequest<T>(
  server: string,
  deadline: Deadline,
  fn: (options: { signal: AbortSignal; timeout: number }) => Promise<T>,
): Promise<T> {
  return withDeadline(server, deadline, (signal) => fn({ signal, timeout: deadline.left() + 1000 }));
}

/** The fetch of a server's calls: its headers asked before each request, an answer capped (4 MiB unless it says). */
export const callFetch = (target: { headers?: FetchOptions['headers']; maxResponseBytes?: number | undefined }) =>
  makeFetch({ headers: target.headers, maxResponseBytes: target.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES });

/** A Streamable HTTP transport over `fetch`, without the SDK's reconnection. */
export const streamableHttp = (url: string, fetch: ReturnType<typeof makeFetch>): StreamableHTTPClientTransport =>
  new StreamableHTTPClientTransport(new URL(url), { fetch, reconnectionOptions: NO_RECONNECTION });

/** A Client connected over `transport`, initialize included, within the deadline. */
export async function openClient(transport: Transport, server: string, deadline: Deadline): Promise<Client> {
  const client = new Client(
    { name: 'taskhooks', version: packageVersion() },
    { jsonSchemaValidator: schemaChecksOfOurOwn },
  );
  await sdkRequest(server, deadline, (options) => client.connect(transport, options));
  return client;
}

const NO_STREAMABLE_HTTP = new Set([400, 404, 405]);

/** The HTTP status of a server that speaks no Streamable HTTP at that URL (400, 404 or 405), else undefined. */
export function noStreamableHttp(err: unknown): number | undefined {
  const cause = isTaskSourceError(err) ? err.cause : undefined;
  if (!(cause instanceof StreamableHTTPError) || !NO_STREAMABLE_HTTP.has(cause.code ?? 0)) return undefined;
  return cause.code;
}
