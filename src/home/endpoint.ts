// One endpoint per state directory: the port its monitor serves hooks on when the config names none, and the Unix
// socket beside it, which only the owner of the (0700) state directory can reach.
import { realpathSync } from 'node:fs';
import { homeFiles } from './files.js';

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
 * The hook port of a state directory when the config names none: the same every time for the same directory (the
 * port install writes into a person's settings stays valid across restarts), another one for another directory.
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
 * realpath per hook was a tenth of a served PreToolUse. A home moved behind the same path keeps its port until the
 * process restarts, as the monitor keeps listening where it started.
 */
const portOf = new Map<string, number>();

function portFor(real: string): number {
  // FNV-1a: a spread of ports, not a secret.
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(real)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return FIRST_PORT + 2 * (h % PORTS);
}

/**
 * The port of the monitor's store server (the built-in store's task tools over MCP) when the config names none: beside
 * the hook port, so a session's .mcp.json can name it and it stays the same across restarts.
 */
export function homeStorePort(home: string): number {
  return homeHookPort(home) + 1;
}

/** The monitor's Unix socket in a state directory; undefined where the path is too long for one. */
export function monitorSocketPath(home: string): string | undefined {
  return socketPath(homeFiles(home).monitorSocket);
}

/** The monitor's MCP socket in a state directory, where the plugin's bridge joins; undefined where too long. */
export function mcpSocketPath(home: string): string | undefined {
  return socketPath(homeFiles(home).mcpSocket);
}

const socketPath = (file: string): string | undefined =>
  Buffer.byteLength(file) <= SOCKET_PATH_MAX ? file : undefined;
