// Resource subscriptions on a Streamable HTTP server: the standalone event stream kept open past the call that opened
// it, and every `notifications/resources/updated` handed on with what taskhooks serve tells in its _meta.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ResourceUpdatedNotificationSchema, type ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { deadlineEnded } from '../errors/task-source.js';
import { CHANGES_META, PUSH_OFF_CAPABILITY, SEQUENCE_META } from '../server/resource-uri.js';
import type { Deadline } from '../util/deadline.js';
import type { McpTarget } from './client.js';
import { CallContext, makeFetch } from './fetch.js';
import { callFetch, noStreamableHttp, openClient, sdkRequest, streamableHttp } from './sdk-client.js';

/** A live subscription to resource changes; `ended` settles (never rejects) with why it ended. */
export interface ResourceSubscription {
  readonly server: string;
  readonly ended: Promise<string>;
  close(): Promise<void>;
}

export type SubscribeOutcome =
  | { subscribed: true; subscription: ResourceSubscription }
  | { subscribed: false; why: string; fix?: string };

type NotSubscribed = Extract<SubscribeOutcome, { subscribed: false }>;

/** Told of every update: the resource, and the store's change sequence and changes when the server carries them. */
type OnUpdated = (uri: string, sequence?: number, changes?: unknown) => void;

/** What a server that declares it cannot push says (taskhooks serve whose change feed hears nothing), if it does. */
function pushOff(capabilities: ServerCapabilities | undefined): { why: string; fix?: string } | undefined {
  const off = capabilities?.experimental?.[PUSH_OFF_CAPABILITY] as { off?: unknown; fix?: unknown } | undefined;
  if (typeof off?.off !== 'string') return undefined;
  return { why: `the server says: ${off.off}`, ...(typeof off.fix === 'string' && { fix: off.fix }) };
}

/**
 * The transport's fetch: its calls capped in size and under their deadline; its standalone event stream (a GET) with
 * neither, since it outlives the call that opened it and is read as it comes, and told in `streamOpen` once answered.
 */
function streamingFetch(target: Extract<McpTarget, { kind: 'http' }>): {
  fetch: (url: string | URL, init?: RequestInit) => Promise<Response>;
  streamOpen: Promise<boolean>;
} {
  let streamOpened: (ok: boolean) => void = () => undefined;
  const streamOpen = new Promise<boolean>((resolve) => (streamOpened = resolve));
  const calls = callFetch(target);
  const stream = makeFetch({ headers: target.headers, maxResponseBytes: Number.POSITIVE_INFINITY });
  const fetch = async (url: string | URL, init?: RequestInit): Promise<Response> => {
    if (init?.method !== 'GET') return calls(url, init);
    const response = await CallContext.exit(() => stream(url, init));
    streamOpened(response.ok);
    return response;
  };
  return { fetch, streamOpen };
}

/**
 * Subscribes to every uri once the event stream is open, so no change after that moment goes unheard; a server
 * without subscriptions or a stream is answered as not subscribed.
 */
async function subscribeAll(
  client: Client,
  s: {
    server: string;
    uris: readonly string[];
    onUpdated: OnUpdated;
    streamOpen: Promise<boolean>;
    deadline: Deadline;
  },
): Promise<NotSubscribed | undefined> {
  const { server, deadline } = s;
  const capabilities = client.getServerCapabilities();
  if (!capabilities?.resources?.subscribe) {
    return {
      subscribed: false,
      ...(pushOff(capabilities) ?? { why: 'the server does not offer resource subscriptions' }),
    };
  }
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
    // taskhooks serve tells the store's change sequence in _meta, and often the changes (checked by who applies
    // them); another server's notification has neither.
    const sequence = n.params._meta?.[SEQUENCE_META];
    s.onUpdated(n.params.uri, typeof sequence === 'number' ? sequence : undefined, n.params._meta?.[CHANGES_META]);
  });
  const opened = await Promise.race([
    s.streamOpen,
    new Promise<boolean>((resolve) => deadline.signal.addEventListener('abort', () => resolve(false), { once: true })),
  ]);
  if (!opened) {
    if (deadline.signal.aborted) throw deadlineEnded(server, deadline);
    return { subscribed: false, why: 'the server offers no event stream' };
  }
  for (const uri of s.uris) {
    await sdkRequest(server, deadline, (options) => client.subscribeResource({ uri }, options));
  }
  return undefined;
}

/**
 * Connects to a Streamable HTTP server, checks that it offers `resources/subscribe`, opens its standalone event
 * stream, subscribes to `uris` and calls `onUpdated` for every `notifications/resources/updated`. Resolves once the
 * stream is open and every subscription is accepted, so no change after that moment goes unheard. A server that does
 * not offer subscriptions (or streams) resolves `subscribed: false`; one that cannot be reached or refuses throws a
 * TaskSourceError. The SDK's own reconnection is off: a dropped stream ends the subscription, and the caller decides
 * when to try again.
 */
export async function subscribeResources(
  target: Extract<McpTarget, { kind: 'http' }>,
  uris: readonly string[],
  onUpdated: OnUpdated,
  deadline: Deadline,
): Promise<SubscribeOutcome> {
  const server = target.url;
  const { fetch, streamOpen } = streamingFetch(target);
  const transport = streamableHttp(target.url, fetch);
  let client: Client;
  try {
    client = await openClient(transport, server, deadline);
  } catch (err) {
    const status = noStreamableHttp(err);
    if (status !== undefined) return { subscribed: false, why: `no live endpoint (HTTP ${status})` };
    throw err;
  }
  let endedWith: (why: string) => void = () => undefined;
  const ended = new Promise<string>((resolve) => (endedWith = resolve));
  const close = async (): Promise<void> => {
    endedWith('closed');
    await client.close().catch(() => undefined);
  };
  // With reconnection off, a stream that ends or breaks is reported here; so is a server that went away.
  client.onerror = (err) => endedWith(`stream ended: ${err instanceof Error ? err.message : String(err)}`);
  client.onclose = () => endedWith('connection closed');
  try {
    const refused = await subscribeAll(client, { server, uris, onUpdated, streamOpen, deadline });
    if (refused) {
      await close();
      return refused;
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { subscribed: true, subscription: { server, ended, close } };
}
