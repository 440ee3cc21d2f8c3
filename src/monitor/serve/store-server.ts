// The store server: the MCP task server the monitor runs over the embedded store when no source is configured, so
// one process owns tasks.db and hooks, CLI and monitor all reach it over loopback (embedded.json says where, with the
// token). Its port and token are the endpoint's (src/home/endpoint.ts). The monitor keeps the store's backups too.
import { appendFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { closeHandedListener, takeHandedListener } from '../../home/handed-listener.js';
import type { Settings } from '../../config/settings.js';
import type { Logger } from '../../log/logger.js';
import { homeFiles, TOOLS_LISTED_PREFIX } from '../../home/files.js';
import type { Cache } from '../../cache/cache.js';
import { invalidateOnChange } from '../../sources/embedded/store-access.js';
import { BUILT_IN_VIA_MONITOR } from '../../sources/embedded/notes.js';
import { registerSecret } from '../../log/redact.js';
import { scheduleBackups } from '../upkeep/backups.js';
import { MONITOR_SQLITE } from '../upkeep/sqlite-waits.js';
import { foldInBackground } from '../../sqlite/checkpoints.js';
import type { TaskStore } from '../../store/index.js';
import { liveSessions } from '../../cache/live-sessions.js';
import { livenessOf } from '../../hooks/live-session.js';
import type { Socket } from 'node:net';
import { connectionOwner, socketInodes, UNNAMED_SOCKET } from '../../util/port-holder.js';

// The store this server serves, as the monitor's other parts name it (mcp.sock serves it too).
export type { TaskStore };

/**
 * How long after its start the store server notes its connections: a session whose Claude Code started before it (the
 * monitor was down) connects within Claude Code's retries, seconds later, and its SessionStart waits.
 */
const NOTED_MS = 60_000;

/** The inode of each admitted connection's client socket, as /proc listed it when the connection was admitted. */
type ClientSockets = WeakMap<Socket, string>;

/**
 * Each connection admitted in the store server's first minute, and each tools/list answered then (TOOLS_LISTED_PREFIX),
 * noted by the inode of the client's socket (tools-clients, a line each; UNNAMED_SOCKET where /proc could not name
 * it): a SessionStart waiting for its own session's tools finds its Claude Code among the processes holding them. It
 * counts the tools/list: Claude Code sends its first request without waiting for a connection it retried.
 */
function noteClients(home: string, log: Logger): (inode: string) => void {
  const file = homeFiles(home).toolsClients;
  const until = Date.now() + NOTED_MS;
  try {
    writeFileSync(file, '', { mode: 0o600 });
  } catch (err) {
    log.warn(
      { err },
      "could not start the list of the task tools' connections; a session start that waits for it gives up at its bound",
    );
  }
  return (inode) => {
    if (Date.now() > until) return;
    try {
      appendFileSync(file, `${inode}\n`);
    } catch (err) {
      log.warn({ err }, 'could not note a connection; the session start waiting for it gives up at its bound');
    }
  };
}

/**
 * Where the live session whose agent holds the request's connection works, and which session it is; else the one
 * project every live session works in; else undefined, and the session tools fall back to the store's only project.
 */
function sessionPlaceOf(
  ctx: StoreServerStart,
  req: IncomingMessage,
  clients: ClientSockets,
): { project: string; branch?: string; sessionId?: string } | undefined {
  try {
    const live = liveSessions(ctx.cache, livenessOf(ctx.settings, Date.now()));
    const client = clients.get(req.socket);
    const own =
      client === undefined
        ? undefined
        : live.find((s) => s.pid !== undefined && socketInodes(s.pid)?.has(client) === true);
    if (own) return { project: own.project, branch: own.branch, sessionId: own.sessionId };
    const projects = [...new Set(live.map((s) => s.project))];
    return projects.length === 1 && projects[0] !== undefined ? { project: projects[0] } : undefined;
  } catch (err) {
    ctx.log.warn({ err }, "could not tell a request's session: its task tools take the store's only project");
    return undefined;
  }
}

/**
 * Only this user's processes are served. The token in the agents' files also reaches whatever listens on the store port
 * while the monitor is down (another local user may bind it first); refused here, that user can do nothing with it,
 * with no process run before each connection. Where /proc cannot tell (not Linux), the token alone decides. An admitted
 * connection's client socket is kept in `clients`, and noted.
 */
function ownUserOnly(
  log: Logger,
  clients: ClientSockets,
  note: (inode: string) => void,
): (socket: Socket) => Promise<boolean> {
  const uid = process.getuid?.();
  const admitted = (inode: string): true => {
    note(inode);
    return true;
  };
  return async (socket) => {
    if (uid === undefined) return admitted(UNNAMED_SOCKET);
    const { localPort, remotePort } = socket;
    if (localPort === undefined || remotePort === undefined) return false;
    const owner = await connectionOwner(localPort, remotePort).catch((err: unknown) => {
      log.warn({ err }, 'could not read who opened a connection to the store server: it is closed');
      return undefined;
    });
    if (owner === 'untold') return admitted(UNNAMED_SOCKET);
    if (owner?.uid === uid) {
      clients.set(socket, owner.inode);
      return admitted(owner.inode);
    }
    log.warn(
      { uid: owner?.uid ?? 'unknown', remotePort },
      owner === undefined
        ? 'closed a connection to the store server whose process /proc does not list: only this user is served'
        : "closed a connection to the store server from another user's process: only this user is served",
    );
    return false;
  };
}

/**
 * Serves on exactly `port` with `token` (the endpoint's store port and the only token good there, beside the ones the
 * config lists): a port another process took meanwhile fails with EADDRINUSE, and the caller picks and settles another.
 */
export interface StoreServerStart {
  settings: Settings;
  log: Logger;
  cache: Cache;
  port: number;
  token: string;
  /** A socket already listening on `port`, handed over by the starter (src/home/launch.ts). */
  fd?: number;
}

export async function startStoreServer(
  ctx: StoreServerStart,
): Promise<{ url: string; token: string; store: TaskStore; close(keepFiles?: boolean): Promise<void> }> {
  // Loaded only when the embedded store is in use: a monitor for a remote source never carries the server. Not
  // through the server's index, which also brings the PostgreSQL engine and the stdio transport it never uses.
  const [{ openTaskDb, sqliteStore }, { readThrough }, { startHttpServer }] = await Promise.all([
    import('../../store/index.js'),
    import('../../store/tasks-db/reader.js'),
    import('../../server/http.js'),
  ]);
  const { home, monitor, server: serverSettings } = ctx.settings;
  const { token } = ctx;
  registerSecret(token);
  const file = homeFiles(home).tasks;
  const db = openTaskDb(file, { home, log: ctx.log, ...MONITOR_SQLITE });
  const folds = foldInBackground({ files: () => [file], log: ctx.log });
  invalidateOnChange(db, { home, log: ctx.log, cache: ctx.cache, server: BUILT_IN_VIA_MONITOR });
  const backups = scheduleBackups({ db, home, settings: monitor, log: ctx.log.child({ part: 'backups' }) });
  // The monitor's own reads of the store (its hooks, refreshes, the board) go through this connection.
  const release = readThrough(db);
  // One store for every way in: this server, and the plugin's sessions on mcp.sock.
  const store = sqliteStore(db);
  const clients: ClientSockets = new WeakMap();
  const note = noteClients(home, ctx.log);
  try {
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: ctx.port,
      ...(ctx.fd === undefined ? {} : { fd: ctx.fd }),
      store,
      log: ctx.log,
      auth: { tokens: [{ principal: 'local', token, tools: ['*'] }, ...serverSettings.tokens] },
      rateLimitPerMinute: serverSettings.rateLimitPerMinute,
      admit: ownUserOnly(ctx.log, clients, note),
      onToolsListed: (req) => note(`${TOOLS_LISTED_PREFIX}${clients.get(req.socket) ?? UNNAMED_SOCKET}`),
      // The sessions of this machine get their few tools; taskhooks' own reader asks for agenthub's (store-access.ts).
      session: { tools: ['session'], place: (req) => sessionPlaceOf(ctx, req, clients) },
    });
    return {
      url: server.url,
      token,
      store,
      close: async (keepFiles = false) => {
        release();
        await server.close();
        await backups.close();
        await folds.close();
        if (!keepFiles) db.close();
      },
    };
  } catch (err) {
    release();
    await backups.close();
    await folds.close();
    db.close();
    throw err;
  }
}

/** The store port's socket the process that started this monitor handed it (../../home/launch.ts), and its release. */
export function handedStoreSocket(
  env: NodeJS.ProcessEnv,
): { port: number; fd: number; close(log: Logger): void } | undefined {
  const handed = takeHandedListener(env);
  if (!handed) return undefined;
  return { ...handed, close: (log) => closeHandedListener(handed.fd, log) };
}
