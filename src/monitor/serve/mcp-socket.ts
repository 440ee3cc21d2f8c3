// The plugin's MCP server, served by the monitor on mcp.sock in the state directory: the plugin's bridge
// (src/cli/mcp-bridge.ts) joins a session's stdio to one connection here, which speaks the same MCP server
// `taskhooks mcp` serves: the hook tool, its calls run by the monitor's own hook runner, and the built-in store's task
// tools when the monitor serves that store. Only the home's owner reaches the socket (the state directory is 0700, the
// socket 0600), so it takes no token. A connection's close ends its session (./bridge-end.ts): the plugin has no
// SessionEnd hook.
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { loadSettings } from '../../config/settings.js';
import { locateScope } from '../../tasks/scope.js';
import type { Logger } from '../../log/logger.js';
import type { ServedCaller } from '../../hooks/hosts/served.js';
import type { ServedHookHandler } from './served-hooks.js';
import type { TaskStore } from '../../store/index.js';
import { MAX_HOOK_INPUT_BYTES } from '../../hooks/hosts/stdin-read.js';
import type { SessionPlace } from '../../server/tools/tool-families.js';
import { isSafeSessionId } from '../../cache/news-generation.js';
import { bridgeEnds, type BridgeEnds } from './bridge-end.js';

/** The first line a bridge sends before the MCP stream: its session's agent process and folder. At most this long. */
const PREAMBLE_MAX = 8192;

export interface McpSocket {
  close(): Promise<void>;
}

/** The caller a bridge's first line names, the session's folder and id; nothing for a line that is not one. */
function callerOf(line: string): { caller: ServedCaller; cwd?: string; sessionId?: string } {
  try {
    const {
      agentPid: pid,
      cwd,
      sessionId,
    } = JSON.parse(line) as { agentPid?: unknown; cwd?: unknown; sessionId?: unknown };
    const caller = typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 1 ? { agentPid: pid } : {};
    const id = typeof sessionId === 'string' && isSafeSessionId(sessionId) ? { sessionId } : {};
    return typeof cwd === 'string' && path.isAbsolute(cwd) ? { caller, cwd, ...id } : { caller, ...id };
  } catch {
    return { caller: {} };
  }
}

/** The project and branch of a session's folder, as its hooks name them: the session tools' default. */
async function placeOf(cwd: string, env: NodeJS.ProcessEnv, sessionId: string | undefined): Promise<SessionPlace> {
  const { settings } = await loadSettings({ cwd, env });
  return { ...locateScope(settings.project, cwd).scope, sessionId };
}

/** Reads the bridge's first line, then serves the rest of the connection as an MCP stream. */
function serveConnection(socket: net.Socket, on: Serving): void {
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\n');
    if (end === -1) {
      if (head.length > PREAMBLE_MAX) socket.destroy();
      return;
    }
    socket.off('data', onData);
    socket.pause();
    const { caller, cwd, sessionId } = callerOf(head.subarray(0, end).toString('utf8'));
    const rest = head.subarray(end + 1);
    const sessionPlace = cwd === undefined ? undefined : () => placeOf(cwd, on.env, sessionId);
    const background = inBackground(on.log);
    const { agentPid } = caller;
    if (sessionId && cwd && agentPid)
      socket.once('close', () => void background.idle().then(() => on.ends.closed({ sessionId, cwd, agentPid })));
    void serve(socket, { caller, cwd, sessionPlace, background }, rest, on).catch((err: unknown) => {
      on.log.error({ err }, 'mcp socket: a session stream failed');
      socket.destroy();
    });
  };
  socket.on('data', onData);
  socket.on('error', (err) => on.log.debug({ err }, 'mcp socket: a connection ended with an error'));
}

/** What every connection is served with. */
interface Serving {
  handle: ServedHookHandler;
  log: Logger;
  env: NodeJS.ProcessEnv;
  store?: TaskStore | undefined;
  ends: BridgeEnds;
}

/** A connection's events Claude Code runs in the background (a turn's end): answered at once, run in turn after. */
interface Background {
  run(work: () => Promise<unknown>): void;
  /** Settles once every event run so far is done. */
  idle(): Promise<void>;
}

function inBackground(log: Logger): Background {
  let last: Promise<void> = Promise.resolve();
  return {
    run(work) {
      last = last.then(work).then(
        () => undefined,
        (err: unknown) => log.error({ err }, 'mcp socket: a background event failed'),
      );
    },
    idle: () => last,
  };
}

async function serve(
  socket: net.Socket,
  session: {
    caller: ServedCaller;
    cwd: string | undefined;
    sessionPlace: (() => Promise<SessionPlace>) | undefined;
    background: Background;
  },
  rest: Buffer,
  { handle, log, store }: Serving,
): Promise<void> {
  const { caller, sessionPlace, background } = session;
  const [{ serveStdio }, { HOOK_TOOL }, { hookToolCall }, { firstPrompt }] = await Promise.all([
    import('../../server/stdio.js'),
    import('../../hooks/hosts/mcp-tool-input.js'),
    import('../../hooks/hosts/mcp-tool.js'),
    import('../../hooks/hosts/first-prompt.js'),
  ]);
  const first = firstPrompt(session.cwd);
  // What came with the first line belongs to the stream: handed back while the socket is paused, read once the
  // server is connected (serveStdio resumes it).
  if (rest.length > 0) socket.unshift(rest);
  await serveStdio({
    ...(store ? { store } : {}),
    ...(sessionPlace ? { sessionPlace } : {}),
    hookTool: {
      name: HOOK_TOOL,
      call: async (args) => {
        if (first.compacted(args)) return '{}';
        const call = hookToolCall(args);
        if ('refused' in call) {
          log.warn({ event: String(args.event) }, 'mcp socket: refused an event it does not serve');
          throw call.refused;
        }
        // Claude Code would not wait for it as a command: the monitor, which outlives the session, does it after.
        if (call.hook.async) {
          background.run(() => handle(call.event, call.input, caller));
          return '{}';
        }
        const out = await first.answer(
          call,
          (event, input) => handle(event, input, caller),
          (err) => log.error({ err }, 'mcp socket: the start told at a first prompt failed'),
        );
        return out ? JSON.stringify(out) : '{}';
      },
    },
    log,
    maxLineBytes: MAX_HOOK_INPUT_BYTES,
    streams: { input: socket, output: socket },
  });
  socket.end();
}

/**
 * Listens on `file`; a socket file left there belongs to a monitor that died (the lock makes this one the home's only
 * monitor), so it is removed first.
 */
export async function startMcpSocket(opts: {
  file: string;
  handle: ServedHookHandler;
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** The task store whose tools each session gets beside the hook tool: the store server's, when the monitor runs one. */
  store?: TaskStore;
}): Promise<McpSocket> {
  const log = opts.log.child({ part: 'mcp-socket' });
  const ends = bridgeEnds(({ sessionId, cwd, agentPid }) => {
    const input = { session_id: sessionId, cwd, hook_event_name: 'SessionEnd', reason: 'other' };
    opts.handle('session-end', input, { agentPid }).catch((err: unknown) => {
      log.error({ err }, "mcp socket: a bridged session's end failed");
    });
  });
  // A session's connection lasts as long as the session: the monitor's stop ends them (each bridge then serves its
  // session itself) instead of waiting for every session to end.
  const open = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    serveConnection(socket, { handle: opts.handle, log, env: opts.env, store: opts.store, ends });
  });
  if (existsSync(opts.file)) unlinkSync(opts.file);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.file, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(opts.file, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        ends.stop();
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
      }),
  };
}
