// The real reference server on 127.0.0.1 (random port, temp task db, in-process) for client and server tests.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ServerToken } from '../../src/server/auth.js';
import type { HttpServerOptions } from '../../src/server/http.js';
import { createFileLogger } from '../../src/log/index.js';
import {
  openTaskDb,
  sqliteStore,
  startHttpServer,
  type TaskDb,
  type TaskStore,
  type Unpushed,
} from '../../src/server/index.js';

export interface ReferenceServerOptions {
  /** Extra static tokens; a full-access token for principal "test" is always added and returned as `token`. */
  tokens?: ServerToken[];
  issuer?: string;
  audience?: string;
  noAuth?: boolean;
  /** A store whose change feed hears nothing, as a PostgreSQL one behind a transaction pooler says at open. */
  unpushed?: Unpushed;
  /** Fills the store before the server starts: through the store interface, or the SQLite file's own calls. */
  seed?: (db: TaskDb, store: TaskStore) => void | Promise<void>;
  rateLimitPerMinute?: number;
  maxBodyBytes?: number;
  /** The clock JWT expiry is checked against (`HttpAuthOptions.now`). */
  now?: () => Date;
  /** How a wrong credential's penalty is waited (`HttpServerOptions.penaltyWait`). */
  penaltyWait?: (ms: number) => Promise<void>;
  /** What a request naming no tools is offered, and where its session works (`HttpServerOptions.session`). */
  session?: HttpServerOptions['session'];
}

export interface ReferenceServer {
  url: string;
  token: string;
  db: TaskDb;
  /** The same store through the engine-neutral interface the server's tools use. */
  store: TaskStore;
  /** The temp dir holding tasks.db and logs/server.log. */
  home: string;
  logFile: string;
  close(): Promise<void>;
}

export async function startReferenceServer(opts: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-refserver-'));
  const db = openTaskDb(path.join(home, 'tasks.db'));
  const store: TaskStore = opts.unpushed ? { ...sqliteStore(db), unpushed: opts.unpushed } : sqliteStore(db);
  await opts.seed?.(db, store);
  const token = `test-${randomBytes(16).toString('hex')}`;
  const logger = createFileLogger({ home, file: 'server.log', sync: true, level: 'info', name: 'server' });
  const server = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    store,
    log: logger.logger,
    auth: opts.noAuth
      ? 'none'
      : {
          tokens: [{ principal: 'test', token, tools: ['*'] }, ...(opts.tokens ?? [])],
          issuer: opts.issuer,
          audience: opts.audience,
          ...(opts.now ? { now: opts.now } : {}),
        },
    rateLimitPerMinute: opts.rateLimitPerMinute,
    maxBodyBytes: opts.maxBodyBytes,
    ...(opts.penaltyWait ? { penaltyWait: opts.penaltyWait } : {}),
    ...(opts.session ? { session: opts.session } : {}),
  });
  return {
    url: server.url,
    token,
    db,
    store,
    home,
    logFile: logger.file,
    close: async () => {
      await server.close();
      db.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
