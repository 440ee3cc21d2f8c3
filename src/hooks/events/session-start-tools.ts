// The first sessions after the monitor went down (killed, a reboot, `taskhooks monitor stop`): Claude Code may try the
// task tools' server before SessionStart starts the monitor again (the socket client holds its port from the hook's
// first milliseconds), and retries a refusal on its own schedule (0.5 s after it, then 1.5 s after that attempt), but
// sends its first request without waiting for a retry. So each such SessionStart waits, bounded, until the new
// monitor's store server has answered its own Claude Code a tools/list (the first request then offers the tools), and
// tells the session when that did not happen in time. A connection the server admitted is answered soon: the wait
// then goes on past a served hook's short bound. Loaded only then, off the hot path.
import { fstatSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Settings } from '../../config/settings.js';
import { portChoices } from '../../home/endpoint.js';
import { closeHandedListener, takeHandedListener, type HandedListener } from '../../home/handed-listener.js';
import { readLiveOwner } from '../../home/lock.js';
import { homeFiles, TOOLS_LISTED_PREFIX } from '../../home/files.js';
import { hasLocalStoreServer } from '../../agents/claude/claude-json.js';
import type { Logger } from '../../log/logger.js';
import { sleep } from '../../util/deadline.js';
import { socketInodes, UNNAMED_SOCKET } from '../../util/port-holder.js';
import type { HookInput } from '../input/fields.js';
import { startTicks } from '../live-session.js';
import type { HookDeps } from '../types.js';

/** How long after the monitor's start the wait may last: past Claude Code's second retry, short of its third (~6 s). */
const TOOLS_WAIT_MS = 4000;
/**
 * The monitor's own wait, serving SessionStart over its socket: the hook command gives it 0.3 s before the node hook
 * answers instead (src/install/writing/settings.ts), so it looks briefly and then tells the session.
 */
const SERVED_WAIT_MS = 150;
/** How long a served SessionStart waits for the listing of a connection admitted, which a herd's monitor answers late. */
const SERVED_ADMITTED_WAIT_MS = 1000;
const LOOK_EVERY_MS = 25;

/** What a session is told when its Claude Code had not connected to the task tools' server in time. */
export const TOOLS_MISSING_LINE =
  "taskhooks' task tools (mcp__taskhooks__*) were not ready when this session started. Claude Code may connect them later; until it does, do not count on them. A new session has them.";

/** The lines the store server noted since it started (tools-clients). */
function notedLines(home: string): string[] {
  try {
    return readFileSync(homeFiles(home).toolsClients, 'utf8').split('\n').filter(Boolean);
  } catch {
    return []; // not written yet
  }
}

/** Whether the store server admitted a connection of the session's Claude Code, and answered it a tools/list. */
export interface ToolsSeen {
  admitted: boolean;
  listed: boolean;
}

/**
 * What the store server noted of the session's Claude Code (`pid`), asked again and again by one wait: that process
 * holds one of the client sockets the server noted. Where /proc cannot tell whose connection it was, any counts. The
 * process's descriptors are read only when the server has noted something since the last look: a herd of sessions
 * after a reboot has several waits looking every 25 ms on a busy machine.
 */
export function toolsLooker(home: string, pid: number | undefined): () => ToolsSeen {
  let looked = '';
  let seen: ToolsSeen = { admitted: false, listed: false };
  return () => {
    const noted = notedLines(home);
    // The list itself, not its length: a store server started again meanwhile writes it anew.
    const key = noted.join();
    if (key === looked) return seen;
    looked = key;
    const listed = noted
      .filter((l) => l.startsWith(TOOLS_LISTED_PREFIX))
      .map((l) => l.slice(TOOLS_LISTED_PREFIX.length));
    const admitted = noted.filter((l) => !l.startsWith(TOOLS_LISTED_PREFIX));
    const own = pid === undefined || admitted.includes(UNNAMED_SOCKET) ? undefined : socketInodes(pid);
    const ours = (inodes: string[]) => inodes.length > 0 && (own === undefined || inodes.some((i) => own.has(i)));
    seen = { admitted: ours(admitted), listed: ours(listed) };
    return seen;
  };
}

/**
 * Waits until the session's Claude Code was answered a tools/list, or `until` (`admittedUntil` once the server
 * admitted its connection): true when it was, false when not; undefined at once when Claude Code's sessions in `dirs` take their task tools from elsewhere (the command transport's
 * `taskhooks mcp`, another source).
 */
async function waitForTaskTools(w: {
  home: string;
  dirs: readonly string[];
  pid: number | undefined;
  until: number;
  admittedUntil: number;
  log: Logger;
}): Promise<boolean | undefined> {
  const { home, log } = w;
  let served: boolean;
  try {
    served = hasLocalStoreServer(process.env, w.dirs);
  } catch (err) {
    log.warn({ err }, "could not read Claude Code's MCP servers; not waiting for the task tools' server");
    return undefined;
  }
  if (!served) return undefined;
  const began = Date.now();
  const look = toolsLooker(home, w.pid);
  let seen = look();
  while (!seen.listed && Date.now() < (seen.admitted ? w.admittedUntil : w.until)) {
    await sleep(LOOK_EVERY_MS);
    seen = look();
  }
  const connected = seen.listed;
  const waitedMs = Date.now() - began;
  if (connected) log.info({ waitedMs, pid: w.pid }, 'the monitor started: this session has the task tools from it');
  else
    log.warn(
      { waitedMs, pid: w.pid },
      'the monitor started, but this session had not connected to its task tools in time: told it',
    );
  return connected;
}

// For the SessionStart that starts no monitor, which loads this file only when it was handed a port.
export { releaseHandedListener } from '../../home/handed-listener.js';

/** What the watchdog, re-armed once the settings are read and less a rescue's time, leaves after the process start. */
const WATCHDOG_SLACK_MS = 1000;

/** The store server's listening socket for the monitor about to start, and this process's copy of it closed. */
interface HeldPort extends HandedListener {
  close(): void;
}

/**
 * The store server's port bound and listening, to hand to the monitor about to start (src/home/launch.ts): a retry of
 * Claude Code's then waits in the kernel's queue until the monitor serves it, however long it takes to load. The socket
 * client that found no monitor holds it already and handed it here (`handed`, hooks/monitor-wait.pl), sooner than
 * this process could bind it; else it is bound here. Undefined when the port is held (another process, a monitor of
 * another build) or has no number yet.
 */
async function storePort(
  settings: Settings,
  log: Logger,
  handed: HandedListener | undefined,
): Promise<HeldPort | undefined> {
  if (settings.source.plan.kind !== 'embedded') return undefined;
  const port = portChoices(settings.home, settings.monitor).store[0];
  if (port === undefined || port === 0) return undefined;
  if (handed?.port === port && isSocket(handed.fd))
    return { ...handed, close: () => closeHandedListener(handed.fd, log) };
  const server = createServer();
  const bound = await new Promise<boolean>((resolve) => {
    server.once('error', (err) => {
      log.debug({ err, port }, 'the store port is held: the monitor binds it itself');
      resolve(false);
    });
    server.listen({ port, host: '127.0.0.1', backlog: 64 }, () => resolve(true));
  });
  // Node keeps a listener's descriptor on its private handle; without it there is nothing to hand over.
  const fd = (server as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  if (bound && typeof fd === 'number' && fd >= 0) return { fd, port, close: () => server.close() };
  if (bound) server.close();
  return undefined;
}

/** Whether `fd` is a socket this process holds: a variable naming anything else hands nothing over. */
function isSocket(fd: number): boolean {
  try {
    return fstatSync(fd).isSocket();
  } catch {
    return false; // not open: nothing was handed after all
  }
}

/**
 * Makes sure a monitor of this build runs; returns when this call found none serving (it started one, or one is
 * starting): the session's Claude Code found no task tools' server then. A replaced one served Claude Code's first try,
 * and its successor on the same port serves what follows. Nothing here yields between binding the store port and
 * closing this process's copy of it once the monitor has its own: this process accepts no connection.
 */
export async function startMonitor(settings: Settings, log: Logger): Promise<number | undefined> {
  const { home } = settings;
  const { ensureMonitorRunning } = await import('../../home/launch.js');
  const from = Date.now();
  const handed = takeHandedListener(process.env);
  // Bound only where a monitor is about to be started: none lives, and hooks may start one.
  const starts = process.env.TASKHOOKS_NO_AUTOSTART !== '1' && readLiveOwner(home) === undefined;
  const held = starts ? await storePort(settings, log, handed) : undefined;
  if (handed && held?.fd !== handed.fd) closeHandedListener(handed.fd, log);
  let m: ReturnType<typeof ensureMonitorRunning>;
  try {
    m = ensureMonitorRunning(home, log, { store: held && { fd: held.fd, port: held.port } });
  } finally {
    held?.close();
  }
  // Every hooks log line names this build (hookLogger): the monitor's is in monitor.json.
  const storeBy = held === undefined ? 'monitor' : held.fd === handed?.fd ? 'socket client' : 'hook';
  log.debug({ ...m, storeBy }, 'monitor checked');
  return (m.started && !m.replacing) || (m.running && !m.started) ? from : undefined;
}

/**
 * When this home's monitor started, where that was after the session's agent process: a command hook that found it
 * serving may still belong to a session whose first try at the task tools found none.
 */
function monitorAfterAgent(deps: HookDeps): number | undefined {
  const owner = readLiveOwner(deps.settings.home);
  const pid = owner && deps.callerPid?.();
  if (!owner || pid === undefined) return undefined;
  const [agent, monitor] = [startTicks(pid), startTicks(owner.pid)];
  return agent !== undefined && monitor !== undefined && monitor >= agent ? owner.startedAt : undefined;
}

/**
 * A session process's start (not a clear or a compact, whose servers connected long ago) of Claude Code, over the
 * embedded store, whose monitor was not serving when its Claude Code started (`monitorFrom`: when this hook saw it
 * down; else when it started, if after the agent): waits within the hook's watchdog (the monitor, briefly), and
 * returns the line that tells the session when its Claude Code had not connected to them by then.
 */
export async function awaitTaskTools(
  input: HookInput,
  deps: HookDeps,
  where: { cwd: string; root: string | undefined },
  monitorFrom: number | undefined,
  watchdogMs: number,
): Promise<string | undefined> {
  const { settings, log } = deps;
  const claude = (deps.agent?.id ?? 'claude') === 'claude';
  const newProcess = input.source === undefined || input.source === 'startup' || input.source === 'resume';
  if (!claude || !newProcess || settings.source.plan.kind !== 'embedded') return undefined;
  const from = monitorFrom ?? monitorAfterAgent(deps);
  if (from === undefined) return undefined;
  const budgetEnd = deps.ensureMonitor
    ? (deps.startedAt ?? from) + watchdogMs - WATCHDOG_SLACK_MS
    : Date.now() + SERVED_WAIT_MS;
  const until = Math.min(from + TOOLS_WAIT_MS, budgetEnd);
  const admittedUntil = deps.ensureMonitor
    ? until
    : Math.min(from + TOOLS_WAIT_MS, Date.now() + SERVED_ADMITTED_WAIT_MS);
  const dirs = [where.cwd, ...(where.root ? [where.root] : [])];
  try {
    const pid = deps.callerPid?.();
    const connected = await waitForTaskTools({ home: settings.home, dirs, pid, until, admittedUntil, log });
    return connected === false ? TOOLS_MISSING_LINE : undefined;
  } catch (err) {
    log.warn({ err }, "could not wait for the task tools' server; this session's first request may lack them");
    return undefined;
  }
}
