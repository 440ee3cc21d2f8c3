// Every HTTP server taskhooks runs (the monitor's served hooks and dashboard, the store server, `serve`) is
// made here, so that no client can hold it by opening connections and sending nothing: each one costs a descriptor,
// and a process out of descriptors answers no one. Timeouts drop what stalls; caps per address and in all evict the
// connection idle longest to admit a new one, so a flood of half-open sockets cannot keep a real request out. Their
// bodies are read here too, so that none is held whole or parsed past its server's cap or nested past a bound.
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { jsonDepthScan, MAX_JSON_DEPTH } from './json-depth.js';

export interface ConnectionLimits {
  /** The whole of a request's headers must arrive within this. */
  headersTimeoutMs: number;
  /** The whole request, body included. */
  requestTimeoutMs: number;
  /** How long a kept-alive connection waits for its next request. */
  keepAliveTimeoutMs: number;
  /** How long a connection that is not in the middle of a request may stay silent (one that never sent a byte too). */
  idleTimeoutMs: number;
  /** Connections open at once; below the descriptor limit, so the process keeps descriptors for its own files. */
  maxConnections: number;
  /** Connections open at once from one address. */
  maxPerAddress: number;
}

/** Tests set a short idle timeout through this variable, to see idle sockets closed. */
export const IDLE_TIMEOUT_ENV = 'TASKHOOKS_HTTP_IDLE_TIMEOUT_MS';

/** The soft limit on open descriptors (`ulimit -n`), where the system says; 1024, the usual one, where it does not. */
function descriptorLimit(): number {
  try {
    const line = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
    if (line) return line === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(line);
  } catch {
    // not Linux
  }
  return 1024;
}

/**
 * Defaults: half of the descriptors for connections (the rest for the cache, logs, watchers and children), at most
 * 4,096. A loopback server's clients all come from one address, so there the cap per address is the global one.
 */
function defaultLimits(loopback: boolean): ConnectionLimits {
  const maxConnections = Math.max(32, Math.min(4096, Math.floor(descriptorLimit() / 2)));
  const idle = Number(process.env[IDLE_TIMEOUT_ENV]);
  return {
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 60_000,
    keepAliveTimeoutMs: 5_000,
    idleTimeoutMs: Number.isFinite(idle) && idle > 0 ? idle : 30_000,
    maxConnections,
    maxPerAddress: loopback ? maxConnections : Math.min(64, maxConnections),
  };
}

interface Tracked {
  address: string;
  /** In the middle of a request: its headers arrived and its answer is not finished. Never evicted. */
  busy: boolean;
}

/**
 * Sockets in order of last activity (a Map keeps insertion order, and a socket is moved to the end when it finishes
 * a request), so the first idle one found is the one idle longest.
 */
function connectionGuard(limits: ConnectionLimits): {
  admit(socket: Socket): void;
  busy(socket: Socket, busy: boolean): void;
} {
  const open = new Map<Socket, Tracked>();
  const perAddress = new Map<string, number>();
  const evictIdle = (address?: string): boolean => {
    for (const [socket, t] of open) {
      if (t.busy || (address !== undefined && t.address !== address)) continue;
      socket.destroy();
      forget(socket);
      return true;
    }
    return false;
  };
  const forget = (socket: Socket): void => {
    const t = open.get(socket);
    if (!t) return;
    open.delete(socket);
    const n = (perAddress.get(t.address) ?? 1) - 1;
    if (n > 0) perAddress.set(t.address, n);
    else perAddress.delete(t.address);
  };
  return {
    admit(socket) {
      const address = socket.remoteAddress ?? 'unknown';
      const full =
        ((perAddress.get(address) ?? 0) >= limits.maxPerAddress && !evictIdle(address)) ||
        (open.size >= limits.maxConnections && !evictIdle());
      if (full) {
        socket.destroy();
        return;
      }
      open.set(socket, { address, busy: false });
      perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
      socket.setTimeout(limits.idleTimeoutMs);
      socket.on('timeout', () => {
        if (!open.get(socket)?.busy) socket.destroy();
      });
      socket.once('close', () => forget(socket));
    },
    busy(socket, busy) {
      const t = open.get(socket);
      if (!t) return;
      t.busy = busy;
      // A request may take as long as its answer needs (a served hook's live fetch, a dashboard's event stream); after
      // it, the connection is kept alive for the next one only so long.
      socket.setTimeout(busy ? 0 : Math.min(limits.idleTimeoutMs, limits.keepAliveTimeoutMs));
      if (!busy) {
        open.delete(socket);
        open.set(socket, t);
      }
    },
  };
}

/**
 * An HTTP server with the limits above; `loopback` says whether only this machine reaches it (then Node's sweep of
 * stalled requests runs every 5 minutes instead of every 30 s, which keeps an idle process idle: the idle timeout
 * and eviction here do not wait for it). A connection `admit` refuses is closed before any request of it is handled.
 */
export function createGuardedServer(
  opts: { loopback: boolean; limits?: Partial<ConnectionLimits>; admit?: (socket: Socket) => Promise<boolean> },
  handler: http.RequestListener,
): http.Server {
  const limits = { ...defaultLimits(opts.loopback), ...opts.limits };
  const guard = connectionGuard(limits);
  // Asked once a connection, as it arrives; its requests wait for the answer, and a refused one is closed unanswered.
  const admitted = new WeakMap<Socket, Promise<boolean>>();
  // Taken from the process, not imported: an ES import of node:http builds its module namespace, whose getters load
  // undici (fetch's implementation), some 13 MB and a third of a bare start, which no server here uses.
  const server = process.getBuiltinModule('node:http').createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      ...(opts.loopback ? { connectionsCheckingInterval: 5 * 60_000 } : {}),
    },
    (req, res) => {
      guard.busy(req.socket, true);
      res.once('close', () => guard.busy(req.socket, false));
      const admit = admitted.get(req.socket);
      if (!admit) return handler(req, res);
      void admit.then((yes) => (yes ? handler(req, res) : req.socket.destroy()));
    },
  );
  server.on('connection', (socket: Socket) => {
    if (opts.admit) admitted.set(socket, opts.admit(socket));
    guard.admit(socket);
  });
  return server;
}

/** A refused body's JSON-RPC id, as far as it was read. */
export type RefusedId = string | number | null;

/** A request body read as JSON: its value, or why there is none. */
export type JsonBody =
  | { kind: 'json'; value: unknown }
  /** Larger than the caller's cap, as announced by Content-Length or as it arrived; `id` as for too-deep, if read. */
  | { kind: 'too-large'; id?: RefusedId }
  /**
   * Nested deeper than the caller's bound (src/util/json-depth.ts): refused before any of it was parsed. `id` is the
   * top-level object's, for a JSON-RPC answer: null where it has one that cannot be read, absent where none was seen.
   */
  | { kind: 'too-deep'; maxDepth: number; id?: RefusedId }
  /** Not JSON: the parser's own words, one line. */
  | { kind: 'not-json'; reason: string }
  /** The client went away before the body ended: there is no one to answer. */
  | { kind: 'gone' };

/**
 * Reads a request's body, at most `maxBytes` and nested at most `maxDepth` deep, as JSON; every server's handler reads
 * its body through this, so a body over either bound is never held whole nor parsed. Past a bound, what is still
 * coming is drained, not kept: past the cap the caller answers at once (`Connection: close`), past the depth once the
 * body has ended, and either way the client reads that answer instead of a reset connection.
 */
export function readJsonBody(req: IncomingMessage, maxBytes: number, maxDepth = MAX_JSON_DEPTH): Promise<JsonBody> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    const depth = jsonDepthScan(maxDepth, ['id']);
    /** The id read so far, kept on a refusal only where there is one. */
    const withId = <T extends JsonBody>(why: T): T => {
      const id = depth.member('id');
      if (id === undefined) return why;
      return { ...why, id: typeof id === 'string' || typeof id === 'number' ? id : null };
    };
    const refuse = (why: JsonBody): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      chunks.length = 0;
      // Refused on its content, the body is read to its end first: a client still sending when its answer comes
      // (and the connection closes) reads a broken pipe instead of the answer, and a PreToolUse's refusal must arrive.
      // Its id is read on the way, wherever the client wrote it.
      if (why.kind === 'too-deep') {
        req.on('data', (chunk: Buffer) => {
          if (depth.member('id') === undefined) depth.scan(chunk);
        });
        req.once('end', () => resolve(withId(why)));
      } else {
        req.resume();
        resolve(withId(why));
      }
    };
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      const over = depth.scan(chunk);
      if (size > maxBytes) refuse({ kind: 'too-large' });
      else if (over === -1) chunks.push(chunk);
      else {
        depth.scan(chunk, over + 1);
        refuse({ kind: 'too-deep', maxDepth });
      }
    };
    const onEnd = (): void => {
      try {
        resolve({ kind: 'json', value: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      } catch (err) {
        resolve({ kind: 'not-json', reason: (err as Error).message });
      }
    };
    // 'close' after 'end' finds the promise settled already; before it, the client went away mid-body.
    req.once('close', () => resolve({ kind: 'gone' }));
    req.once('error', () => resolve({ kind: 'gone' }));
    if (Number.isFinite(declared) && declared > maxBytes) return refuse({ kind: 'too-large' });
    req.on('data', onData);
    req.once('end', onEnd);
  });
}
