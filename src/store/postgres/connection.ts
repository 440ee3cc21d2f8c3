// The PostgreSQL store's connections: the pool every call runs on, the transaction helper that tells what it changed
// through pg_notify before it commits, a request's transaction that every call made inside it joins, and the one
// LISTEN connection per process that hears every process's changes.
// Nothing relies on session state between statements (no named statements, session locks, SET or temp tables), so the
// pool may go through a pooler in transaction mode; LISTEN cannot, hence its own URL and the probe at start.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { Client, Pool, PoolClient } from 'pg';
import type { Logger } from '../../log/logger.js';
import type { StoreChange } from '../connection.js';
import type { Unpushed } from '../store.js';
import type { ProjectRow } from '../rows.js';
import { migratePostgres } from './schema.js';
import { all, type Q } from './query.js';
import { stampSequence } from './stamp.js';

export const CHANGE_CHANNEL = 'taskhooks_changes';
/** Where the start-up probe's NOTIFY goes: apart from the change feed, which every process reads as changes. */
const PROBE_CHANNEL = 'taskhooks_probe';
const PROBE_MS = 3000;
/** How long a call waits for a new connection to the database (or pooler) before it fails as retryable. */
const CONNECT_TIMEOUT_MS = 10_000;
/** pg_notify payloads must stay under 8000 bytes: a big batch is told in several notifications. */
const IDS_PER_NOTIFY = 100;

export interface PostgresStoreOptions {
  /** A postgres:// URL (its password is a secret: never logged). */
  connectionString: string;
  /**
   * Where the change feed's LISTEN connection goes (default: `connectionString`): a direct connection to PostgreSQL
   * when `connectionString` goes through a pooler in transaction mode, which carries no notifications.
   */
  listenConnectionString?: string | undefined;
  /** How the URLs are named in messages (without their passwords). */
  shown?: { database: string; listen?: string | undefined } | undefined;
  /** How long the start-up probe waits for its NOTIFY to come back; default 3 s. */
  probeMs?: number;
  /** Connections in the pool; default 10. */
  maxConnections?: number;
  /** Where a connection's failure is logged: calls go on (the pool reconnects), and so does the change feed. */
  log?: Logger;
  /** Told of the same failures, after the log. */
  onFeedError?: (err: Error) => void;
}

/** What a transaction changed, told through pg_notify just before it commits. */
export class Changes {
  private readonly byProject = new Map<string, Set<string>>();
  add(projectId: string, taskIds: readonly string[] = []): void {
    const ids = this.byProject.get(projectId) ?? new Set<string>();
    for (const id of taskIds) ids.add(id);
    this.byProject.set(projectId, ids);
  }
  /** Stamps the change sequences (when anything changed) and tells every project changed; call last, before COMMIT. */
  async notify(q: Q): Promise<void> {
    const stamped = this.byProject.size > 0 ? await stampSequence(q, this.byProject) : new Map<string, number>();
    for (const [projectId, ids] of this.byProject) {
      const { rows } = await q.query<{ name: string }>('SELECT name FROM projects WHERE id = $1', [projectId]);
      const project = rows[0]?.name;
      if (!project) continue;
      const all = [...ids];
      const sequence = stamped.get(projectId);
      const at = sequence !== undefined && all.length > 0 ? { sequence } : {};
      for (let i = 0; i === 0 || i < all.length; i += IDS_PER_NOTIFY) {
        const change: StoreChange = { project, taskIds: all.slice(i, i + IDS_PER_NOTIFY), ...at };
        await q.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, JSON.stringify(change)]);
      }
    }
  }
}

export interface PgConnection {
  readonly pool: Pool;
  /** One statement: on the transaction of the request under way (see `request`), else autocommitted on the pool. */
  readonly db: Q;
  /**
   * Runs `fn` in a READ COMMITTED transaction; what it changed is notified inside it, so only commits are told.
   * Inside a request it is a savepoint of the request's transaction.
   */
  tx<T>(fn: (q: Q, changes: Changes) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in one transaction that every call of this store made inside it joins (`db`, `tx`), committed when
   * `fn` answers `commit`, else rolled back; a request holds one pooled connection, never waits for a second.
   */
  request<T>(fn: (q: Q) => Promise<{ commit: boolean; value: T }>): Promise<T>;
  subscribe(listener: (change: StoreChange) => void): () => void;
  /** Why changes are not heard (the probe's NOTIFY never came back), and the fix; undefined when they are. */
  readonly unpushed: Unpushed | undefined;
  close(): Promise<void>;
}

type Pg = typeof import('pg').default;

/** The start-up probes under way: each waits for its token to come back on the LISTEN connection. */
class Probes {
  private readonly waiting = new Map<string, () => void>();
  heard(token: string): void {
    this.waiting.get(token)?.();
  }
  /** Whether a NOTIFY of a fresh token, sent through `pool`, is heard within `ms`. */
  async probe(pool: Pool, ms: number): Promise<boolean> {
    const token = randomBytes(8).toString('hex');
    let timer: NodeJS.Timeout | undefined;
    const heard = new Promise<boolean>((resolve) => {
      this.waiting.set(token, () => resolve(true));
      timer = setTimeout(() => resolve(false), ms);
    });
    try {
      await pool.query('SELECT pg_notify($1, $2)', [PROBE_CHANNEL, token]);
      return await heard;
    } finally {
      clearTimeout(timer);
      this.waiting.delete(token);
    }
  }
}

/**
 * The change feed's own connection. When it drops (the server restarted, a proxy cut it), it reconnects with
 * backoff, and since whatever was notified meanwhile is lost, every project is then told as changed.
 */
function changeFeed(pg: Pg, pool: Pool, options: PostgresStoreOptions, failed: (err: Error, what: string) => void) {
  const listeners = new Set<(c: StoreChange) => void>();
  const tell = (change: StoreChange): void => {
    for (const l of listeners) l(change);
  };
  const probes = new Probes();
  let closed = false;
  let listener: Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const listen = async (): Promise<void> => {
    const client: Client = new pg.Client({
      connectionString: options.listenConnectionString ?? options.connectionString,
    });
    client.on('notification', (msg) => {
      if (msg.channel === CHANGE_CHANNEL && msg.payload) tell(JSON.parse(msg.payload) as StoreChange);
      else if (msg.channel === PROBE_CHANNEL && msg.payload) probes.heard(msg.payload);
    });
    client.on('error', (err) => failed(err, 'the change feed connection failed; reconnecting'));
    client.on('end', () => {
      if (!closed && listener === client) reconnect(1000);
    });
    await client.connect();
    await client.query(`LISTEN ${CHANGE_CHANNEL}; LISTEN ${PROBE_CHANNEL}`);
    listener = client;
  };
  const reconnect = (delayMs: number): void => {
    listener = undefined;
    retry = setTimeout(() => {
      listen()
        .then(async () => {
          for (const p of await all<ProjectRow>(pool, 'SELECT name FROM projects'))
            tell({ project: p.name, taskIds: [] });
        })
        .catch((err: unknown) => {
          failed(
            err instanceof Error ? err : new Error(String(err)),
            'the change feed could not reconnect; trying again',
          );
          if (!closed) reconnect(Math.min(delayMs * 2, 30_000));
        });
    }, delayMs);
    retry.unref();
  };
  return {
    listen,
    /** Whether a NOTIFY sent through the pool comes back to the LISTEN connection within `ms`. */
    probe: (ms: number) => probes.probe(pool, ms),
    subscribe: (l: (c: StoreChange) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    close: async () => {
      closed = true;
      clearTimeout(retry);
      listeners.clear();
      await listener?.end().catch(() => undefined);
    },
  };
}

/** What serve says, and tells subscribers, when the change feed did not hear its own NOTIFY. */
function deafFeed(options: PostgresStoreOptions, probeMs: number): Unpushed {
  const through = options.shown?.listen ?? options.shown?.database ?? 'the database URL';
  const fix = options.listenConnectionString
    ? 'make --listen-database a direct connection to PostgreSQL (or a pooler in session mode)'
    : 'give serve --listen-database URL, a direct connection to PostgreSQL (or a pooler in session mode), for LISTEN';
  return {
    why: `changes are not pushed: a NOTIFY did not come back within ${probeMs / 1000} s to the LISTEN on ${through} (a connection pooler in transaction mode carries no notifications); monitors poll instead`,
    fix,
  };
}

/** A request's transaction: its one connection, and what the writes made inside it changed. */
interface OpenRequest {
  client: PoolClient;
  changes: Changes;
}

/**
 * One transaction on a connection of its own, ended as `fn` says. A connection that could not even roll back (the
 * server or pooler went away) is dropped rather than pooled again.
 */
async function transaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<{ commit: boolean; value: T }>) {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const { commit, value } = await fn(client);
    await client.query(commit ? 'COMMIT' : 'ROLLBACK');
    return value;
  } catch (err) {
    await client.query('ROLLBACK').catch((e: unknown) => {
      broken = e instanceof Error ? e : new Error(String(e));
    });
    throw err;
  } finally {
    client.release(broken);
  }
}

/** A write inside a request: a savepoint of its transaction, so a refused write leaves the request's other writes. */
async function savepoint<T>(open: OpenRequest, fn: (q: Q, changes: Changes) => Promise<T>): Promise<T> {
  const { client } = open;
  await client.query('SAVEPOINT request_write');
  try {
    const value = await fn(client, open.changes);
    await client.query('RELEASE SAVEPOINT request_write');
    return value;
  } catch (err) {
    // When even this fails, the connection is gone and the request's COMMIT fails too: nothing is lost by going on.
    await client.query('ROLLBACK TO SAVEPOINT request_write').catch(() => undefined);
    throw err;
  }
}

/** The pool, its connections' failures logged and never an unhandled 'error' event, whether idle or checked out. */
function openPool(pg: Pg, options: PostgresStoreOptions): Pool {
  const pool: Pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    // A pooler that is gone refuses at once; one that hangs must not hold a call for ever.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  const dropped = (err: Error): void =>
    options.log?.warn(
      { err },
      'PostgreSQL task store: a pooled connection failed; calls on it fail as retryable and the pool opens another',
    );
  pool.on('error', dropped);
  // A checked-out connection has no pool listener: without this one its failure would end the process.
  pool.on('connect', (client) => client.on('error', dropped));
  return pool;
}

/** Opens the pool, migrates the schema, starts the change feed and checks that it hears a NOTIFY. */
export async function openPgConnection(options: PostgresStoreOptions): Promise<PgConnection> {
  // Loaded here only: a process on the SQLite store never loads the driver.
  const pg = (await import('pg')).default;
  const pool = openPool(pg, options);
  const failed = (err: Error, what: string): void => {
    options.log?.warn({ err }, `PostgreSQL task store: ${what}`);
    options.onFeedError?.(err);
  };
  await migratePostgres(pool);
  const feed = changeFeed(pg, pool, options, failed);
  try {
    await feed.listen();
  } catch (err) {
    await pool.end();
    const where = options.shown?.listen ?? options.shown?.database ?? 'the database';
    throw new Error(`the change feed's LISTEN connection to ${where} failed: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const probeMs = options.probeMs ?? PROBE_MS;
  const unpushed = (await feed.probe(probeMs)) ? undefined : deafFeed(options, probeMs);
  // A feed that cannot hear notifications (LISTEN behind a transaction pooler) is closed: its connection would only
  // keep a pooled backend busy.
  if (unpushed !== undefined) await feed.close();
  const requests = new AsyncLocalStorage<OpenRequest>();
  const db = { query: (...args: unknown[]) => (requests.getStore()?.client ?? pool).query(...(args as [string])) };
  return {
    pool,
    db: db as unknown as Q,
    unpushed,
    tx(fn) {
      const open = requests.getStore();
      if (open) return savepoint(open, fn);
      return transaction(pool, async (client) => {
        const changes = new Changes();
        const value = await fn(client, changes);
        await changes.notify(client);
        return { commit: true, value };
      });
    },
    request: (fn) =>
      transaction(pool, async (client) => {
        const open = { client, changes: new Changes() };
        const ended = await requests.run(open, () => fn(client));
        if (ended.commit) await open.changes.notify(client);
        return ended;
      }),
    subscribe: feed.subscribe,
    close: async () => {
      await feed.close();
      await pool.end();
    },
  };
}
