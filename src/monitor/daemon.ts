// The monitor's run loop: one per $TASKHOOKS_HOME, woken by changes (refresh requests, git metadata) and by its
// schedules (node-cron expressions) for what nothing announces; served hooks, the store server, and a shutdown
// that lets a refresh in flight finish before the database closes.
import { buildIdentity, packageRoot } from '../util/package.js';
import { rmSync, statSync } from 'node:fs';
import { openCache, type Cache } from '../cache/cache.js';
import type { Settings } from '../config/settings.js';
import { createAsyncFileLogger, type FileLogger, type Logger } from '../log/index.js';
import { homeFiles, type MonitorInfo } from '../home/files.js';
import { acquireLock, type LockOwner } from '../home/lock.js';
import { holdOwnMonitorInfo, writeMonitorInfo } from '../home/monitor-info.js';
import { noticeEarlierRoutes } from './serve/earlier-route.js';
import { followEndpoint } from './serve/endpoint-moves.js';
import { watchHome } from './watch/home-watch.js';
import { watchCode } from './watch/code-watch.js';
import { watchStopRequests } from '../home/signals.js';
import {
  startStoreServerPart,
  startRefreshingPart,
  startServedPart,
  type MonitorServices,
  type PartContext,
} from './parts.js';
import { keepCompiledCode, MONITOR_SQLITE, waitingOnce } from './upkeep/index.js';
import { foldInBackground } from '../sqlite/checkpoints.js';

export type { MonitorServices } from './parts.js';

export interface RunningMonitor {
  info: MonitorInfo;
  cache: Cache;
  log: Logger;
  logFile: string;
  /** Runs one task cycle now (the first one runs at start without waiting for the schedule). */
  refreshNow(): Promise<void>;
  stop(): Promise<void>;
  /** Settles once the monitor has stopped, whether asked to or on its own (its home gone). */
  stopped: Promise<void>;
}

export type StartResult = { started: true; monitor: RunningMonitor } | { started: false; owner: LockOwner };

/**
 * The monitor's cache connection keeps 1 MiB of pages, not better-sqlite3's 16 MiB: it reads each snapshot once per
 * fetch, and a page cache that filled with them stayed resident between cycles.
 */
const MONITOR_PAGE_CACHE_KIB = 1024;

export interface MonitorOptions {
  settings: Settings;
  env: NodeJS.ProcessEnv;
  services: MonitorServices;
}

/**
 * The monitor's stop: the steps registered as it starts (each part its own), run in reverse, the last started first;
 * and whether its home was lost, which leaves the files at the home's paths alone.
 */
class Shutdown {
  private readonly steps: Array<() => Promise<void> | void> = [];
  homeLost = false;

  constructor(private readonly log: Logger) {}

  add(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }

  /** Runs every step registered so far, once; a step that fails is logged and the others still run. */
  async unwind(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step();
      } catch (err) {
        this.log.error({ err }, 'monitor shutdown step failed');
      }
    }
  }
}

/**
 * Starts the monitor in this process. Returns the live owner instead when another monitor holds the lock.
 * Nothing is left behind when a step fails: the lock is released and what was opened is closed.
 */
export async function startMonitor(opts: MonitorOptions): Promise<StartResult> {
  const { home } = opts.settings;
  const lock = acquireLock(home);
  if (!lock.acquired) return { started: false, owner: lock.owner };

  const fileLog = openMonitorLog(opts.settings);
  const log = fileLog.logger;
  const shutdown = new Shutdown(log);
  shutdown.add(() => lock.release());
  shutdown.add(() => fileLog.flush());
  shutdown.add(() => log.info('monitor stopped'));
  // A hook's claim to start a monitor holds 5 s, to outlast its exit; this lock now stands for it and dies with this
  // process, so a monitor killed in its first seconds does not keep the next sessions waiting out the claim.
  try {
    rmSync(homeFiles(home).starter, { force: true });
  } catch (err) {
    log.warn({ err }, 'the start claim could not be removed: sessions may wait up to 5 s for a monitor that died');
  }
  try {
    // The home as the lock was taken in it: one deleted or made again while the parts start is then noticed too.
    const homeAtStart = statSync(home);
    const { cache, info, refreshing } = await startParts(opts, { fileLog, shutdown });
    log.info({ ...info }, 'monitor started');
    refreshing.begin();
    shutdown.add(keepCompiledCode(log));

    const { stop, stopped } = stopOnce(log, () => shutdown.unwind());
    // A monitor whose home is gone serves nobody, and one started in a home made again at that path would run beside it.
    shutdown.add(
      watchHome(home, homeAtStart, lock.holds, (why) => {
        shutdown.homeLost = true;
        const line = `${why}: the monitor stops (pid ${process.pid}); \`taskhooks monitor start\` starts one for the home as it is now`;
        log.warn({ home }, line);
        process.stderr.write(`taskhooks monitor: ${line}\n`);
        void stop();
      }),
    );
    shutdown.add(stopOnRequest(home, log, stop));
    // A monitor whose code was uninstalled (the plugin removed or updated) serves an old build: it stops.
    const codeRoot = packageRoot();
    shutdown.add(
      watchCode(codeRoot, (why) => {
        log.warn({ codeRoot }, `${why}: the monitor stops (pid ${process.pid})`);
        void stop();
      }),
    );
    return {
      started: true,
      monitor: { info, cache, log, logFile: fileLog.file, refreshNow: refreshing.taskCycle, stop, stopped },
    };
  } catch (err) {
    log.error({ err }, 'monitor could not start');
    await shutdown.unwind();
    throw err;
  }
}

/** `monitor stop` on Windows, which has no signal to send it: a request in the home's signals folder. */
function stopOnRequest(home: string, log: Logger, stop: () => Promise<void>): () => void {
  try {
    // Since this process started: a request written while it started up is its own.
    return watchStopRequests(home, Date.now() - process.uptime() * 1000, () => {
      log.info('stop requested (signals/stop)');
      void stop();
    });
  } catch (err) {
    log.warn(
      { err },
      'cannot watch for stop requests: `monitor stop` ends this monitor without its cleanup on Windows',
    );
    return () => {};
  }
}

function openMonitorLog(settings: Settings): FileLogger {
  return createAsyncFileLogger({
    home: settings.home,
    file: 'monitor.log',
    level: settings.logLevel,
    name: 'monitor',
    limits: settings.logLimits,
  });
}

/** Opens the cache, starts the parts in order, and publishes the monitor's facts once they listen. */
async function startParts(
  opts: MonitorOptions,
  run: { fileLog: FileLogger; shutdown: Shutdown },
): Promise<{ cache: Cache; info: MonitorInfo; refreshing: ReturnType<typeof startRefreshingPart> }> {
  const { home, monitor: config } = opts.settings;
  const { shutdown } = run;
  const log = run.fileLog.logger;
  const cache = waitingOnce(openCache({ home, log, pageCacheKiB: MONITOR_PAGE_CACHE_KIB, ...MONITOR_SQLITE }));
  shutdown.add(() => {
    if (!shutdown.homeLost) cache.close();
  });
  const folds = foldInBackground({ files: () => [cache.file], log });
  shutdown.add(() => folds.close());
  const part: PartContext = {
    ...opts,
    cache,
    log,
    onStop: (stop) => shutdown.add(stop),
    rotateLog: () => run.fileLog.rotate(),
    homeLost: () => shutdown.homeLost,
  };
  // Each part registers its own stop as it starts: they run in reverse, the last started first.
  const store = await startStoreServerPart(part);
  const served = await startServedPart(part, store?.store);
  const refreshing = startRefreshingPart(part);

  const info: MonitorInfo = {
    pid: process.pid,
    startedAt: Date.now(),
    hookPort: served.port,
    ...(served.problem ? { hookProblem: served.problem } : {}),
    ...('held' in served && served.held[0] !== undefined ? { hookPortHeld: served.held[0] } : {}),
    ...('socket' in served && served.socket ? { hookSocket: served.socket } : {}),
    ...('mcpSocket' in served && served.mcpSocket ? { mcpSocket: served.mcpSocket } : {}),
    ...buildIdentity(),
    codeRoot: packageRoot(),
    taskSchedule: config.taskSchedule,
    gitSchedule: config.gitSchedule,
    ...(store ? { storeServerUrl: store.url } : {}),
  };
  // The files point at the endpoint before the monitor says where it serves: whoever waits for it finds them so.
  await followEndpoint({
    settings: opts.settings,
    env: opts.env,
    cache,
    log,
    parts: [store, 'moves' in served ? served : undefined],
  });
  writeMonitorInfo(home, info);
  noticeEarlierRoutes({ home, cache, log, env: opts.env });
  shutdown.add(() => {
    if (!shutdown.homeLost) rmSync(homeFiles(home).info, { force: true });
  });
  // The served hooks ask for these at every session's start; forgotten first when the monitor stops.
  shutdown.add(holdOwnMonitorInfo(home, info, () => !shutdown.homeLost));
  return { cache, info, refreshing };
}

/** The monitor's stop, run once however often it is asked for, and a promise that settles once it has run. */
function stopOnce(log: Logger, unwind: () => Promise<void>): { stop(): Promise<void>; stopped: Promise<void> } {
  let settle = (): void => undefined;
  const stopped = new Promise<void>((resolve) => (settle = resolve));
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      log.info('monitor stopping');
      await unwind();
      settle();
    })();
    return stopping;
  };
  return { stop, stopped };
}

/**
 * Runs until SIGTERM or SIGINT, then stops cleanly and resolves 0. `onReady` runs once everything listens
 * (`taskhooks start` prints a session's context then).
 */
export async function runUntilSignalled(
  opts: MonitorOptions,
  onReady?: (m: RunningMonitor) => Promise<void>,
): Promise<StartResult> {
  const result = await startMonitor(opts);
  if (!result.started) return result;
  const m = result.monitor;
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      m.log.info({ signal }, 'signal received');
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal); // a second Ctrl-C during the shutdown then ends the process at once
      m.stop().then(resolve, resolve);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    void m.stopped.then(() => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve();
    });
    if (onReady) onReady(m).catch((err: unknown) => m.log.error({ err }, 'start-up step failed'));
  });
  return result;
}
