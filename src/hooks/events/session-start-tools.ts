// The first session after the monitor went down (killed, a reboot, `taskhooks monitor stop`): Claude Code tried the
// task tools' server before SessionStart started the monitor again, and retries it on its own schedule (0.5 s after
// the refusal, then 1.5 s after that attempt), but sends its first request without waiting for a retry. So the
// SessionStart that started the monitor waits, bounded, until the new monitor's store server has answered a tools/list:
// a retry landed, and the first request offers the tools. Loaded only then, off the hot path.
import { statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { Settings } from '../../config/settings.js';
import { portChoices } from '../../home/endpoint.js';
import { readLiveOwner } from '../../home/lock.js';
import { homeFiles } from '../../home/files.js';
import { hasLocalStoreServer } from '../../agents/claude-json.js';
import type { Logger } from '../../log/logger.js';
import { sleep } from '../../util/deadline.js';
import type { HookInput } from '../input-fields.js';
import type { HookDeps } from '../types.js';

/** How long after starting the monitor the wait may last: past Claude Code's second retry, short of its third (~6 s). */
const TOOLS_WAIT_MS = 4000;
const LOOK_EVERY_MS = 25;

const listedSince = (file: string, since: number): boolean => {
  try {
    return statSync(file).mtimeMs >= since;
  } catch {
    return false; // not written yet
  }
};

/**
 * Waits until the monitor started at `since` has answered a tools/list, or `until`; at once when Claude Code's
 * sessions in `dirs` take their task tools from elsewhere (the command transport's `taskhooks mcp`, another source).
 */
async function waitForTaskTools(w: {
  home: string;
  dirs: readonly string[];
  since: number;
  until: number;
  log: Logger;
}): Promise<void> {
  const { home, log } = w;
  let served: boolean;
  try {
    served = hasLocalStoreServer(process.env, w.dirs);
  } catch (err) {
    log.warn({ err }, "could not read Claude Code's MCP servers; not waiting for the task tools' server");
    return;
  }
  if (!served) return;
  const file = homeFiles(home).toolsListed;
  const began = Date.now();
  let listed = listedSince(file, w.since);
  while (!listed && Date.now() < w.until) {
    await sleep(LOOK_EVERY_MS);
    listed = listedSince(file, w.since);
  }
  const waitedMs = Date.now() - began;
  if (listed) log.info({ waitedMs }, 'the monitor started: Claude Code has the task tools from it');
  else
    log.warn(
      { waitedMs },
      'the monitor started, but Claude Code did not list its task tools in time: the next session has them',
    );
}

/** What the watchdog, re-armed once the settings are read and less a rescue's time, leaves after the process start. */
const WATCHDOG_SLACK_MS = 1000;

/**
 * The store server's port bound and listening here, to hand to the monitor about to start (src/home/launch.ts): a
 * retry of Claude Code's then waits in the kernel's queue until the monitor serves it, however long it takes to load.
 * Undefined when the port is held (another process, a monitor of another build) or has no number yet.
 */
async function bindStorePort(
  settings: Settings,
  log: Logger,
): Promise<{ server: Server; fd: number; port: number } | undefined> {
  if (settings.source.plan.kind !== 'embedded') return undefined;
  const port = portChoices(settings.home, settings.monitor).store[0];
  if (port === undefined || port === 0) return undefined;
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
  if (bound && typeof fd === 'number' && fd >= 0) return { server, fd, port };
  if (bound) server.close();
  return undefined;
}

/**
 * Makes sure a monitor of this build runs; returns when this call started one (a replaced one served Claude Code's
 * first try, and its successor on the same port serves what follows). Nothing here yields between binding the store
 * port and closing this process's copy of it once the monitor has its own: this process accepts no connection.
 */
export async function startMonitor(settings: Settings, log: Logger): Promise<number | undefined> {
  const { home } = settings;
  const { ensureMonitorRunning } = await import('../../home/launch.js');
  const from = Date.now();
  // Bound only where a monitor is about to be started: none lives, and hooks may start one.
  const starts = process.env.TASKHOOKS_NO_AUTOSTART !== '1' && readLiveOwner(home) === undefined;
  const held = starts ? await bindStorePort(settings, log) : undefined;
  let m: ReturnType<typeof ensureMonitorRunning>;
  try {
    m = ensureMonitorRunning(home, log, held && { fd: held.fd, port: held.port });
  } finally {
    held?.server.close();
  }
  // Every hooks log line names this build (hookLogger): the monitor's is in monitor.json.
  log.debug({ ...m, handed: held !== undefined }, 'monitor checked');
  return m.started && !m.replacing ? from : undefined;
}

/**
 * A session process's start (not a clear or a compact, whose servers connected long ago) of Claude Code, over the
 * embedded store, with the monitor started by this hook at `monitorFrom`: waits within the hook's watchdog.
 */
export async function awaitTaskTools(
  input: HookInput,
  deps: HookDeps,
  where: { cwd: string; root: string | undefined },
  monitorFrom: number,
  watchdogMs: number,
): Promise<void> {
  const { settings, log } = deps;
  const claude = (deps.agent?.id ?? 'claude') === 'claude';
  const newProcess = input.source === undefined || input.source === 'startup' || input.source === 'resume';
  if (!claude || !newProcess || settings.source.plan.kind !== 'embedded') return;
  const budgetEnd = (deps.startedAt ?? monitorFrom) + watchdogMs - WATCHDOG_SLACK_MS;
  const until = Math.min(monitorFrom + TOOLS_WAIT_MS, budgetEnd);
  const dirs = [where.cwd, ...(where.root ? [where.root] : [])];
  try {
    await waitForTaskTools({ home: settings.home, dirs, since: monitorFrom, until, log });
  } catch (err) {
    log.warn({ err }, "could not wait for the task tools' server; this session's first request may lack them");
  }
}
