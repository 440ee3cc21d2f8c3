// Pushed changes: `/mcp/live` is the one stateful endpoint. A client opens a live connection there (an initialize
// request, named from then on by its Mcp-Session-Id header), opens its standalone GET stream (server-sent events),
// subscribes to `taskhooks://projects/<name>/tasks`, and hears `notifications/resources/updated` for every committed
// change to that project's tasks, whichever process made it (the store's change feed). The connection lives on the
// process holding its stream and ends with it: behind a load balancer a client that lands elsewhere is told its
// connection is unknown and opens a new one.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  ErrorCode,
  isInitializeRequest,
  McpError,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../log/logger.js';
import type { StoreChange } from '../store/index.js';
import { mayCall, mayUseProject, outOfScopeMessage, type Principal } from './principal.js';
import type { CarriedChanges } from './pushed-changes.js';
import { CHANGES_META, SEQUENCE_META, projectOfUri, projectTasksUri } from './resource-uri.js';

/**
 * The store's change feed (`TaskStore.subscribeChanges`): after every committed task write, in process on SQLite, of
 * every process on PostgreSQL (LISTEN/NOTIFY); returns the undo.
 */
export type ChangeFeed = (listener: (change: StoreChange) => void) => () => void;

export interface LiveHub {
  /** Serves one request to `/mcp/live`; `message` is the parsed body of a POST. */
  handle(req: IncomingMessage, res: ServerResponse, principal: Principal, message: unknown): Promise<void>;
  readonly connections: number;
  close(): Promise<void>;
}

interface LiveConnection {
  principal: Principal;
  server: McpServer;
  transport: StreamableHTTPServerTransport;
  uris: Set<string>;
  /** Ends a connection whose client never opened its stream: nothing could be pushed to it. */
  unopened?: NodeJS.Timeout;
}

const MAX_SUBSCRIPTIONS_PER_CONNECTION = 1000;
const DEFAULT_MAX_CONNECTIONS = 5000;
/** How long a new connection may go without opening its stream. */
const OPEN_STREAM_WITHIN_MS = 30_000;

const rpcError = (code: number, message: string): string =>
  JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });

function refuse(res: ServerResponse, status: number, code: number, message: string): void {
  const text = rpcError(code, message);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Whoever may read tasks through any tool may hear that they changed. */
const mayRead = (p: Principal): boolean => mayCall(p, 'manage_task', 'list') || mayCall(p, 'get_next_task');

/** Subscribe and unsubscribe for one connection's server; bad URIs are refused in one line saying what is accepted. */
export function handleSubscriptions(server: McpServer, principal: Principal, uris: Set<string>): void {
  const checked = (uri: string): string => {
    if (projectOfUri(uri) === undefined) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `Cannot subscribe to ${JSON.stringify(uri)}: only project task lists change (e.g. ${projectTasksUri('web')})`,
      );
    }
    return uri;
  };
  server.server.setRequestHandler(SubscribeRequestSchema, (request) => {
    const uri = checked(request.params.uri);
    if (!mayRead(principal))
      throw new McpError(
        ErrorCode.InvalidRequest,
        `Permission denied: principal "${principal.name}" may not read tasks`,
      );
    // A scoped token hears only its own projects' changes: a notification carries the changed tasks.
    const project = projectOfUri(uri) as string;
    if (!mayUseProject(principal, project))
      throw new McpError(ErrorCode.InvalidRequest, outOfScopeMessage(principal, 'resources/subscribe', true));
    if (!uris.has(uri) && uris.size >= MAX_SUBSCRIPTIONS_PER_CONNECTION) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `Too many subscriptions: at most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} per connection`,
      );
    }
    uris.add(uri);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    uris.delete(checked(request.params.uri));
    return {};
  });
}

export interface LiveHubOptions {
  feed: ChangeFeed;
  log: Logger;
  /** A task server for one connection, with subscriptions handled into `uris`. */
  createServer(principal: Principal, uris: Set<string>): McpServer;
  maxConnections?: number;
  /** How long changes to one project gather before one notification tells them all (default 50 ms). */
  coalesceMs?: number;
  /** The changes a project's next notification carries (see carriedChanges), or undefined to tell its sequence only. */
  carry?: (project: string) => Promise<CarriedChanges | undefined>;
}

/** What a push needs besides its project: the connections it goes to, where failures are logged, the changes carried. */
type PushTargets = { connections: Map<string, LiveConnection> } & Pick<LiveHubOptions, 'log' | 'carry'>;

/** The `_meta` of a push: the latest sequence, and the changes themselves where they could be read. */
function pushMeta(carried: CarriedChanges | undefined, sequence: number | undefined) {
  if (carried !== undefined)
    return { [SEQUENCE_META]: Math.max(carried.sequence, sequence ?? 0), [CHANGES_META]: carried };
  return sequence !== undefined ? { [SEQUENCE_META]: sequence } : undefined;
}

/** Tells every connection subscribed to the project's tasks that they changed; one without a sequence carries none. */
async function pushTo(to: PushTargets, project: string, sequence: number | undefined): Promise<void> {
  const { log } = to;
  const uri = projectTasksUri(project);
  const subscribers = (): LiveConnection[] => [...to.connections.values()].filter((s) => s.uris.has(uri));
  if (subscribers().length === 0) return;
  const carried =
    sequence === undefined
      ? undefined
      : await to.carry?.(project).catch((err: unknown) => {
          log.warn({ err, uri }, 'reading the changes to push failed: subscribers fetch them');
          return undefined;
        });
  const meta = pushMeta(carried, sequence);
  const params = meta === undefined ? { uri } : { uri, _meta: meta };
  for (const s of subscribers()) {
    s.server.server
      .sendResourceUpdated(params)
      .catch((err: unknown) => log.warn({ err, uri }, 'pushing a change failed'));
  }
}

/**
 * Tells each connection subscribed to a project of its changes, coalesced: a burst of writes to one project within
 * `coalesceMs` is one notification carrying the latest sequence, so a thousand subscribers fetch once per burst, not
 * once per write; and, where `carry` gives them, the changes themselves, so a subscriber up to date before the burst
 * fetches nothing. A change without a sequence (a project or branch written, no task) changes no task listing, so a
 * burst that mixes one in still carries the latest sequence; a burst of such changes alone is told without one.
 * One project's notifications go out in order: a burst heard while the one before is being read waits for it.
 */
function coalescedPushes(
  connections: Map<string, LiveConnection>,
  opts: Pick<LiveHubOptions, 'log' | 'carry' | 'coalesceMs'>,
) {
  const { log } = opts;
  const targets: PushTargets = { connections, log, carry: opts.carry };
  const pending = new Map<string, { sequence?: number; timer?: NodeJS.Timeout }>();
  const sending = new Map<string, Promise<void>>();
  /** Runs one project's reads one after another; a burst that came meanwhile is sent after. */
  const serial = (project: string, fn: () => Promise<void>): void => {
    const out = fn().finally(() => {
      sending.delete(project);
      if (pending.get(project)?.timer === undefined) push(project);
    });
    sending.set(project, out);
  };
  const push = (project: string): void => {
    const entry = pending.get(project);
    if (!entry) return;
    if (sending.has(project)) {
      // Sent once the notification being read is out, with whatever else is heard meanwhile.
      delete entry.timer;
      return;
    }
    pending.delete(project);
    serial(project, () => pushTo(targets, project, entry.sequence));
  };
  // The first notification of a project counts from the moment it was first subscribed to, not from nothing.
  const primed = new Set<string>();
  return {
    heard({ project, sequence }: StoreChange): void {
      const entry = pending.get(project);
      if (entry) {
        if (sequence !== undefined) entry.sequence = Math.max(entry.sequence ?? 0, sequence);
        return;
      }
      const timer = setTimeout(() => push(project), opts.coalesceMs ?? 50);
      timer.unref();
      pending.set(project, { ...(sequence !== undefined ? { sequence } : {}), timer });
    },
    subscribed(project: string): void {
      const { carry } = opts;
      if (!carry || primed.has(project)) return;
      primed.add(project);
      if (sending.has(project)) return;
      serial(project, async () => {
        await carry(project).catch((err: unknown) => log.warn({ err, project }, 'reading the changes to push failed'));
      });
    },
    close(): void {
      for (const { timer } of pending.values()) clearTimeout(timer);
      pending.clear();
    },
  };
}

/** A connection's subscriptions, telling the hub of each project newly subscribed to. */
class Subscriptions extends Set<string> {
  constructor(private readonly onSubscribe: (project: string) => void) {
    super();
  }
  override add(uri: string): this {
    const project = projectOfUri(uri);
    if (!this.has(uri) && project !== undefined) this.onSubscribe(project);
    return super.add(uri);
  }
}

export function createLiveHub(opts: LiveHubOptions): LiveHub {
  const { log } = opts;
  const connections = new Map<string, LiveConnection>();

  const end = (id: string): void => {
    const s = connections.get(id);
    if (!s) return;
    connections.delete(id);
    clearTimeout(s.unopened);
    s.server.close().catch((err: unknown) => log.warn({ err }, 'closing a live connection failed'));
  };

  const pushes = coalescedPushes(connections, opts);
  const stopFeed = opts.feed(pushes.heard);
  const open = opener(opts, connections, end, pushes.subscribed);

  return {
    get connections() {
      return connections.size;
    },
    async handle(req, res, principal, message) {
      const header = req.headers['mcp-session-id'];
      const id = typeof header === 'string' ? header : undefined;
      if (id === undefined) return open(req, res, principal, message);
      const connection = connections.get(id);
      if (!connection) {
        refuse(
          res,
          404,
          -32001,
          'Unknown Mcp-Session-Id: its connection ended (its stream closed or the server restarted); initialize a new one',
        );
        return;
      }
      if (connection.principal.name !== principal.name || connection.principal.via !== principal.via) {
        refuse(res, 403, -32000, 'Forbidden: this connection belongs to another principal');
        return;
      }
      if (req.method === 'GET') {
        // The subscription lives as long as this stream: a client gone is a connection gone.
        clearTimeout(connection.unopened);
        res.on('close', () => {
          if (res.statusCode === 200) end(id);
        });
      }
      await connection.transport.handleRequest(req, res, message);
    },
    async close() {
      stopFeed();
      pushes.close();
      for (const id of [...connections.keys()]) end(id);
    },
  };
}

/** Opens a connection on an initialize request; anything else without an Mcp-Session-Id is refused. */
function opener(
  opts: LiveHubOptions,
  connections: Map<string, LiveConnection>,
  end: (id: string) => void,
  subscribed: (project: string) => void,
) {
  const maxConnections = opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  return async (req: IncomingMessage, res: ServerResponse, principal: Principal, message: unknown): Promise<void> => {
    if (req.method !== 'POST' || !isInitializeRequest(message)) {
      refuse(
        res,
        400,
        -32000,
        'Bad Request: no Mcp-Session-Id; a live connection starts with an initialize request (POST)',
      );
      return;
    }
    if (connections.size >= maxConnections) {
      opts.log.warn({ connections: connections.size }, 'live connection refused: too many');
      refuse(res, 503, -32000, `Too many live connections on this process (${maxConnections}): retry later`);
      return;
    }
    const uris = new Subscriptions(subscribed);
    const server = opts.createServer(principal, uris);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: true,
      // Called while the initialize request is handled: the transport exists by then.
      onsessioninitialized: (id) => {
        const unopened = setTimeout(() => end(id), OPEN_STREAM_WITHIN_MS);
        unopened.unref();
        connections.set(id, { principal, server, uris, transport, unopened });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) end(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, message);
  };
}
