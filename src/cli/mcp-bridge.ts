// The plugin's MCP server in node, as hooks/mcp-bridge runs it where perl cannot serve (no perl, Windows, no monitor
// yet): node:net that joins the session's stdio to the MCP server its user's monitor already runs on mcp.sock in the
// state directory (the filesystem lets only the home's owner reach it); where none runs, the bridge starts one.
// Where no monitor answers, nor starts in time (src/cli/bridge-wait.ts), `taskhooks mcp` serves the session instead
// (the hook tool, and the task tools where the project uses the built-in store), so a guard is still decided and the
// model still has its task tools.
import { spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The state directory as src/home/dir.ts finds it, without loading anything more than node:path. */
const home = path.resolve(process.env.TASKHOOKS_HOME?.trim() || path.join(os.homedir(), '.taskhooks'));

/** A line on stderr, which Claude Code keeps in its MCP log. */
const say = (e: unknown): void => {
  process.stderr.write(`taskhooks mcp bridge: ${e instanceof Error ? e.message : String(e)}\n`);
};
const fail = (e: unknown): void => {
  say(e);
  process.exitCode = 1;
};

/** No monitor at the session's start: this process serves it, the stream untouched so far. */
async function serveHere(): Promise<void> {
  const { main } = await import('./main.js');
  process.exitCode = await main(['mcp', '--start-at-prompt']);
}

/**
 * The monitor went away mid-session: a server of the session's own takes the stream over. It is told the session's
 * handshake again (its answer is dropped: Claude Code had the monitor's), then reads what Claude Code sends next.
 */
function takeOver(handshake: Buffer): void {
  const cli = fileURLToPath(new URL('./cli.js', import.meta.url));
  const child = spawn(process.execPath, [cli, 'mcp'], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.on('error', fail);
  child.on('exit', (code) => process.exit(code ?? 1));
  child.stdin.write(handshake);
  process.stdin.pipe(child.stdin);
  // With no whole request kept there is no answer of its own to drop.
  let dropped = handshake.indexOf('\n') === -1;
  child.stdout.on('data', (chunk: Buffer) => {
    if (dropped) return void process.stdout.write(chunk);
    const end = chunk.indexOf('\n');
    if (end === -1) return;
    dropped = true;
    if (end + 1 < chunk.length) process.stdout.write(chunk.subarray(end + 1));
  });
}

/** The session's first two lines (initialize and its notification), kept to hand a server that takes over. */
let handshake = Buffer.alloc(0);
const keepHandshake = (chunk: Buffer): void => {
  handshake = Buffer.concat([handshake, chunk]);
  const first = handshake.indexOf('\n');
  const second = first === -1 ? -1 : handshake.indexOf('\n', first + 1);
  if (second === -1) return;
  handshake = handshake.subarray(0, second + 1);
  process.stdin.off('data', keepHandshake);
};

/** When this bridge started: a monitor that is starting is waited for from then (src/cli/bridge-wait.ts). */
const began = Date.now();
const socketFile = path.join(home, 'mcp.sock');

/** A connection to the monitor's socket, or the error that refused it. */
const connect = (): Promise<net.Socket | NodeJS.ErrnoException> =>
  new Promise((resolve) => {
    const socket = net.connect(socketFile);
    socket.once('connect', () => {
      socket.off('error', resolve);
      resolve(socket);
    });
    socket.once('error', resolve);
  });

/** The session's stream joined to the monitor's, handed to a server of its own should the monitor go. */
function join(socket: net.Socket): void {
  // The one line the monitor reads before the stream: the session's agent process (this server's parent, as a
  // command hook's is its shell's), for its news and subagents, and its folder, whose project the task tools default to.
  // Claude Code names its session in the environment of the servers it starts: the session's own task writes are
  // then no news to it.
  const sessionId = process.env.CLAUDE_CODE_SESSION_ID || undefined;
  socket.write(`${JSON.stringify({ agentPid: process.ppid, cwd: process.cwd(), sessionId })}\n`);
  process.stdin.on('data', keepHandshake);
  process.stdin.pipe(socket);
  socket.pipe(process.stdout);
  process.stdin.on('end', () => socket.end());
  socket.on('error', (err) =>
    process.stderr.write(`taskhooks mcp bridge: the monitor's socket failed: ${err.message}\n`),
  );
  socket.on('close', () => {
    if (process.stdin.readableEnded) return;
    process.stdin.unpipe(socket);
    socket.unpipe(process.stdout);
    takeOver(handshake);
  });
}

/**
 * No socket, or one no monitor listens on (a crash leaves it): the monitor may be starting, which is worth waiting
 * for. Anything else (Windows, where none is ever made) is served here at once.
 */
const mayStart = (err: NodeJS.ErrnoException): boolean =>
  process.platform !== 'win32' && (err.code === 'ENOENT' || err.code === 'ECONNREFUSED');

/** The handshake hooks/mcp-bridge.pl kept when the monitor it joined went away: this process takes the stream over. */
const TAKE_OVER = '--take-over=';

async function start(): Promise<void> {
  const kept = process.argv.find((a) => a.startsWith(TAKE_OVER));
  if (kept !== undefined) return takeOver(Buffer.from(kept.slice(TAKE_OVER.length)));
  const first = await connect();
  if (first instanceof net.Socket) return join(first);
  if (mayStart(first)) {
    const { awaitMonitor, startMonitor } = await import('./bridge-wait.js');
    const autostart = process.env.TASKHOOKS_NO_AUTOSTART !== '1';
    // A monitor that could not be started leaves the session to a server of its own: it says so, and goes on.
    if (autostart) await startMonitor(home, process.env).catch(say);
    const joined = await awaitMonitor<net.Socket>(home, connect, { began, autostart });
    if (joined) return join(joined);
  }
  await serveHere();
}

start().catch(fail);
