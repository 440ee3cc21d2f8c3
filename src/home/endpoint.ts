// The monitor's endpoint, in one place per user: the ports it serves hooks and the built-in store's task tools on,
// the token each port is good for, and the Unix socket only the state directory's owner can reach. endpoint.json
// records the ports last written into installed files; the monitor takes those back before any other, and a token is
// replaced whenever its port moves, so no token is ever sent to an address it was not made for.
import { realpathSync, rmSync } from 'node:fs';
import net from 'node:net';
import { UserError } from '../errors/user.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { readTextCapped, SMALL_MAX_BYTES } from '../util/safe-read.js';
import { isPort, readRecord, type EndpointRecord } from './endpoint-record.js';
import { homeFiles } from './files.js';
import { readLiveOwner, vouchedFor } from './lock.js';
import { ensureHookToken, ensureStoreToken, rotateHookToken, rotateStoreToken } from './secrets.js';

/**
 * The per-home ports: above the registered services most machines run, below Linux's ephemeral range (32768–60999),
 * so the kernel never lends one to an outgoing connection.
 */
const FIRST_PORT = 20_000;
// Even ports only: each home's store server takes the odd one above its hook port.
const PORTS = 6_000;
/** sun_path holds 108 bytes on Linux, 104 on macOS, the NUL included. */
const SOCKET_PATH_MAX = 103;

/**
 * The hook port of a state directory when the config names none: the same every time for the same directory, another
 * one for another directory.
 */
export function homeHookPort(home: string): number {
  const known = portOf.get(home);
  if (known !== undefined) return known;
  let real: string;
  try {
    real = realpathSync(home);
  } catch {
    // Not made yet: its first monitor makes it at this very path (not kept: once made, the real path may differ).
    return portFor(home);
  }
  const port = portFor(real);
  portOf.set(home, port);
  return port;
}

/**
 * Each state directory's port as first found: every served hook resolves the settings, and with them these ports, and a
 * realpath per hook was a tenth of a served PreToolUse.
 */
const portOf = new Map<string, number>();

function portFor(real: string): number {
  // FNV-1a: a spread of ports, not a secret.
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(real)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return FIRST_PORT + 2 * (h % PORTS);
}

/** The store server's port when the config names none: the odd one beside the hook port. */
export function homeStorePort(home: string): number {
  return homeHookPort(home) + 1;
}

/**
 * The monitor's Unix socket in a state directory; undefined where the path is too long for one, and on Windows, where
 * Node listens on named pipes instead, whose default access lets every user read and whose name another user could
 * take first: there hooks reach the monitor on its loopback port with the hook token (src/home/served-post.ts).
 */
export function monitorSocketPath(home: string, platform: NodeJS.Platform = process.platform): string | undefined {
  return socketPath(homeFiles(home).monitorSocket, platform);
}

/** The monitor's MCP socket in a state directory, where the plugin's bridge joins; undefined where too long or on Windows. */
export function mcpSocketPath(home: string, platform: NodeJS.Platform = process.platform): string | undefined {
  return socketPath(homeFiles(home).mcpSocket, platform);
}

const socketPath = (file: string, platform: NodeJS.Platform): string | undefined =>
  platform !== 'win32' && Buffer.byteLength(file) <= SOCKET_PATH_MAX ? file : undefined;

/** The ports last written into installed files, and the tokens good for them. */
export interface Endpoint {
  hookPort: number;
  hookToken: string;
  /** Only where the built-in store is served. */
  storePort?: number;
  storeToken?: string;
}

/**
 * Where installed files should point: the ports last written, else the configured ones, with their tokens (made on
 * first use). Throws the fix when the config asks for a random port, which no file can name.
 */
export function currentEndpoint(home: string, configured: { hookPort: number; storeServerPort: number }): Endpoint {
  const record = readRecord(home);
  const hookPort = record.hookPort ?? configured.hookPort;
  const storePort = record.storePort ?? configured.storeServerPort;
  if (hookPort === 0)
    throw new UserError(
      'monitor.hookPort is 0 (a random port each start), which settings cannot name: remove it from the config (each state directory then has a port of its own) and run install again',
      2,
    );
  return {
    hookPort,
    hookToken: ensureHookToken(home),
    ...(storePort > 0 ? { storePort, storeToken: ensureStoreToken(home) } : {}),
  };
}

/**
 * Where installed entries for the store server should point: the port last written, else the configured one, with its
 * token (made on first use); undefined where the config serves no store server.
 */
export function currentStoreEndpoint(
  home: string,
  configured: { storeServerPort: number },
): { storePort: number; storeToken: string } | undefined {
  const storePort = readRecord(home).storePort ?? configured.storeServerPort;
  return storePort > 0 ? { storePort, storeToken: ensureStoreToken(home) } : undefined;
}

/**
 * The ports a starting monitor tries, in order: the one last written into installed files (so they stay right), then
 * the configured one.
 */
export function portChoices(home: string, configured: { hookPort: number; storeServerPort: number }) {
  const record = readRecord(home);
  const choose = (recorded: number | undefined, config: number): number[] => [
    ...new Set([recorded, config].filter(isPort)),
  ];
  return {
    hook: choose(record.hookPort, configured.hookPort),
    store: choose(record.storePort, configured.storeServerPort),
  };
}

/** Whether another process listens on 127.0.0.1:`port` (0, any free port, is never held). */
export function portHeld(port: number): Promise<boolean> {
  if (port === 0) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(true) : reject(err)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
}

/** A port no process holds now, chosen by the kernel. */
function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The first of `choices` no other process holds, else one the kernel picks; and the choices found held. */
export async function firstFreePort(choices: readonly number[]): Promise<{ port: number; held: number[] }> {
  const held: number[] = [];
  for (const port of choices) {
    if (!(await portHeld(port))) return { port, held };
    held.push(port);
  }
  return { port: await anyFreePort(), held };
}

/** Which of the endpoint's two ports: the served hooks', or the store server's. */
export type PortKind = 'hook' | 'store';

/** A port that moved from the one last written (from undefined: none was written before). */
export interface PortMove {
  kind: PortKind;
  from: number | undefined;
  to: number;
}

const TOKENS = {
  hook: { ensure: ensureHookToken, rotate: rotateHookToken },
  store: { ensure: ensureStoreToken, rotate: rotateStoreToken },
} as const;

/**
 * Records the port the monitor serves `kind` on, and its token. A port that differs from the one last written (or
 * with none written) gets a new token: the old one may have reached whoever holds the old port, and the installed
 * files naming it are rewritten with the new one.
 */
export function settlePort(home: string, kind: PortKind, port: number): { token: string; move?: PortMove } {
  const record = readRecord(home);
  const last = kind === 'hook' ? record.hookPort : record.storePort;
  if (last === port) return { token: TOKENS[kind].ensure(home) };
  const token = TOKENS[kind].rotate(home);
  const next: EndpointRecord = { ...record, [kind === 'hook' ? 'hookPort' : 'storePort']: port };
  writeFileAtomic(homeFiles(home).endpoint, `${JSON.stringify(next)}\n`, 0o600);
  return { token, move: { kind, from: last, to: port } };
}

/**
 * Forgets the store port last written, for a store token that may have reached another process: the next monitor
 * settles its port as a move, with a new token, and points the installed entries at it.
 */
export function forgetStorePort(home: string): void {
  const { storePort, ...rest } = readRecord(home);
  if (storePort !== undefined) writeFileAtomic(homeFiles(home).endpoint, `${JSON.stringify(rest)}\n`, 0o600);
}

/** The store server a running monitor serves, with its token; undefined when no monitor serves one. */
export interface StoreServerEndpoint {
  url: string;
  token: string;
  /** The monitor serving it. */
  pid: number;
}

/** Publishes where the store server listens (embedded.json, 0600: it carries the token), for the CLI's readers. */
export function writeStoreServerEndpoint(home: string, endpoint: StoreServerEndpoint): void {
  writeFileAtomic(homeFiles(home).storeServer, JSON.stringify(endpoint), 0o600);
}

/**
 * The published store server, while the monitor that wrote it still runs; undefined when none is. A monitor killed with
 * SIGKILL leaves its file: whoever takes its port next must not be sent the token. Throws, naming the file, when it is
 * damaged.
 */
export function readStoreServerEndpoint(home: string): StoreServerEndpoint | undefined {
  const file = homeFiles(home).storeServer;
  let parsed: { url?: unknown; token?: unknown; pid?: unknown };
  try {
    parsed = JSON.parse(readTextCapped(file, SMALL_MAX_BYTES)) as typeof parsed;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${file} is unreadable: ${(err as Error).message}`);
  }
  const { url, token, pid } = parsed;
  if (typeof url !== 'string' || typeof token !== 'string' || typeof pid !== 'number')
    throw new Error(`${file} has no url, token and pid`);
  // One the OS cannot vouch for is used only once it proved itself (src/home/monitor-trust.ts): its port may be
  // anyone's now.
  const owner = readLiveOwner(home);
  return owner?.pid === pid && vouchedFor(owner) ? { url, token, pid } : undefined;
}

/** Withdraws it, when the monitor that published it stops. */
export function removeStoreServerEndpoint(home: string): void {
  rmSync(homeFiles(home).storeServer, { force: true });
}

/** A listener started on the endpoint: where, what it found held, and how the record moved. */
export interface EndpointListener<T> {
  value: T;
  port: number;
  /** Choices another process held: hooks naming one of them reach that process. */
  held: number[];
  moves: PortMove[];
}

/**
 * Starts a listener on the endpoint's port of `kind`: the first of `choices` no other process holds (else one the
 * kernel picks), settled with its token before `start` listens there. A port taken between the look and the listen is
 * passed over, twice at most.
 */
export async function listenOnEndpoint<T>(
  home: string,
  kind: PortKind,
  choices: readonly number[],
  start: (port: number, token: string) => Promise<T>,
  handedPort?: number,
): Promise<EndpointListener<T>> {
  const held: number[] = [];
  const moves: PortMove[] = [];
  for (let attempt = 0; ; attempt++) {
    // A port the starter bound and handed over is this process's already: probing it would find it held.
    const pick =
      attempt === 0 && handedPort !== undefined && choices[0] === handedPort
        ? { port: handedPort, held: [] }
        : await firstFreePort(choices.filter((c) => !held.includes(c)));
    held.push(...pick.held);
    const settled = settlePort(home, kind, pick.port);
    if (settled.move) moves.push(settled.move);
    try {
      return { value: await start(pick.port, settled.token), port: pick.port, held, moves };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 2) throw err;
      held.push(pick.port);
    }
  }
}
