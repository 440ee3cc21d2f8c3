// The monitor's run loop: one per $TASKHOOKS_HOME, woken by changes (refresh requests, git metadata) and by its
// schedules (node-cron expressions) for what nothing announces; served hooks, the embedded task server, and a shutdown
// that lets a refresh in flight finish before the database closes.
import { rmSync } from 'node:fs';
import { openCache, type Cache } from '../cache/cache.js';
import type { Settings } from '../config/settings.js';
import { createFileLogger, type Logger } from '../log/index.js';
import { writeEmbeddedEndpoint } from '../home/embedded.js';
import { homeFiles, type MonitorInfo } from '../home/files.js';
import { acquireLock, type LockOwner } from '../home/lock.js';
import { writeMonitorInfo } from '../home/monitor-info.js';
import { ensureHookToken } from '../home/secrets.js';
import { watchChanges } from './changes.js';
import { createClaimFollower, type ClaimOnServerFn } from './claims.js';
import { livenessOf } from '../hooks/live-session.js';
import { createLane } from './lane.js';
import { createMemoryKeeper, memoryMiB, mib } from './memory.js';
import { refreshTaskCycle, type CollectGitStateFn, type RefreshDeps, type RefreshTasksFn } from './refresh.js';
import { pruneIfDue } from './prune.js';
import { scheduleJob, type Schedule } from './schedule.js';
import { watchPushes, type PushWatch, type SubscribeFn } from './push.js';
import type { Dashboard } from '../dashboard/routes.js';
import { startServedHooks, type HookEvent, type ServedHooks } from './served-hooks.js';
import { sleep } from '../util/deadline.js';
import { scheduleJitterMs } from '../util/jitter.js';

/** What the monitor uses from the other areas; passed in so the loop can be tested with fakes. */
export interface MonitorServices {
  refreshTasks: RefreshTasksFn;
  collectGitState: CollectGitStateFn;
  /** One hook event through src/hooks with the daemon's cache (the served hooks' single code path). */
  runHook(event: HookEvent, input: unknown, ctx: { cache: Cache; log: Logger }): Promise<object | null>;
  /** Hosts the built-in task server; only called when no remote source is configured. */
  startEmbedded(ctx: {
    settings: Settings;
    log: Logger;
    cache: Cache;
  }): Promise<{ url: string; token: string; close(): Promise<void> }>;
  /** Tells task servers about the sessions' claims; without it claims stay in the cache of this machine. */
  claimOnServer?: ClaimOnServerFn;
  /** Subscribes to a source's pushed changes; without it every remote source is polled. */
  subscribe?: SubscribeFn;
  /**
   * Loads what a first fetch needs while nothing waits for it: a session that starts in a new project (sixteen at
   * once, say, each waiting for the monitor) is then not also kept waiting for the network stack to load.
   */
  preload?(): Promise<void>;
  /** The web page on the served hooks' port (`taskhooks dashboard`); without it the port serves hooks only. */
  dashboard?(ctx: { home: string; cache: Cache; log: Logger; hookToken: string }): Dashboard;
}

export interface RunningMonitor {
  info: MonitorInfo;
  cache: Cache;
  log: Logger;
  logFile: string;
  /** Runs one task cycle now (the first one runs at start without waiting for the schedule). */
  refreshNow(): Promise<void>;
  stop(): Promise<void>;
}

export type StartResult = { started: true; monitor: RunningMonitor } | { started: false; owner: LockOwner };

/**
 * The monitor's cache connection keeps 1 MiB of pages, not better-sqlite3's 16 MiB: it reads each snapshot once per
 * fetch, and a cache that filled with them stayed resident between cycles.
 */
const MONITOR_CACHE_KIB = 1024;
/** The least time between two runs of the claim follower that no wake asked for. */
const CLAIMS_MIN_GAP_MS = 1000;
/** The most a scheduled task cycle waits before it starts (at most half the gap to the next run). */
const TASK_JITTER_CAP_MS = 60_000;

/**
 * Starts the monitor in this process. Returns the live owner instead when another monitor holds the lock.
 * Nothing is left behind when a step fails: the lock is released and what was opened is closed.
 */
export async function startMonitor(opts: {
  settings: Settings;
  env: NodeJS.ProcessEnv;
  services: MonitorServices;
}): Promise<StartResult> {
  const { settings } = opts;
  const { home, monitor: config } = settings;
  const paths = homeFiles(home);
  const lock = acquireLock(home);
  if (!lock.acquired) return { started: false, owner: lock.owner };

  const fileLog = createFileLogger({
    home,
    file: 'monitor.log',
    sync: false,
    level: settings.logLevel,
    name: 'monitor',
    limits: settings.logLimits,
  });
  const log = fileLog.logger;
  const cleanups: Array<() => Promise<void> | void> = [
    () => lock.release(),
    () => fileLog.flush(),
    () => log.info('monitor stopped'),
  ];
  const unwind = async (): Promise<void> => {
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await c();
      } catch (err) {
        log.error({ err }, 'monitor shutdown step failed');
      }
    }
  };

  try {
    const cache = openCache({ home, log, cacheKiB: MONITOR_CACHE_KIB });
    cleanups.push(() => cache.close());
    const hookToken = ensureHookToken(home);

    let embeddedUrl: string | undefined;
    if (settings.source.plan.kind === 'embedded') {
      try {
        const embedded = await opts.services.startEmbedded({
          settings,
          cache,
          log: log.child({ part: 'embedded-server' }),
        });
        cleanups.push(() => embedded.close());
        writeEmbeddedEndpoint(home, { url: embedded.url, token: embedded.token, pid: process.pid });
        cleanups.push(() => rmSync(paths.embedded, { force: true }));
        embeddedUrl = embedded.url;
      } catch (err) {
        // Without embedded.json every reader opens tasks.db in-process instead: slower, still correct.
        log.error({ err }, 'embedded task server unavailable; readers use tasks.db directly');
      }
    }

    let served: ServedHooks | undefined;
    let hookProblem: string | undefined;
    try {
      const dashboard = opts.services.dashboard?.({ home, cache, log: log.child({ part: 'dashboard' }), hookToken });
      if (dashboard) cleanups.push(() => dashboard.close());
      served = await startServedHooks({
        port: config.hookPort,
        token: hookToken,
        log,
        handle: (event, input) => opts.services.runHook(event, input, { cache, log }),
        ...(dashboard ? { mount: dashboard.handle } : {}),
      });
      const s = served;
      cleanups.push(() => s.close());
    } catch (err) {
      // Refreshing is the monitor's first job; hooks still work as commands without the served path. monitor.json
      // carries the problem, so `monitor status` and `doctor` say it, not only this log.
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      hookProblem = `cannot listen on 127.0.0.1:${config.hookPort} (${code === 'EADDRINUSE' ? 'the port is in use' : code})`;
      log.error({ err, port: config.hookPort }, `served hooks unavailable: ${hookProblem}; set monitor.hookPort`);
    }

    const refreshDeps: RefreshDeps = {
      home,
      staleProjectDays: config.staleProjectDays,
      cache,
      log,
      env: opts.env,
      refreshTasks: opts.services.refreshTasks,
      collectGitState: opts.services.collectGitState,
    };
    // Without --expose-gc (`taskhooks monitor run` as a service), V8's own memory reducer gives the pages back later.
    const memory = createMemoryKeeper({ gc: (globalThis as { gc?: () => void }).gc });
    cleanups.push(() => memory.close());
    const lane = createLane({
      log,
      beforeEach: () => memory.beforeJob(),
      afterEach: () => {
        const job = memory.afterJob();
        if (job.collected)
          log.debug(
            { allocatedMiB: mib(job.allocatedBytes), memory: memoryMiB() },
            'collected the heap after a job that allocated much',
          );
        if (fileLog.rotate()) log.info('log rotated');
      },
    });
    let push: PushWatch | undefined;
    const syncPushes = (): void => {
      push?.sync().catch((err: unknown) => log.error({ err }, 'subscribing to pushed changes failed'));
    };
    const { claimOnServer } = opts.services;
    const followClaims = claimOnServer
      ? createClaimFollower({
          home,
          cache,
          log: log.child({ part: 'claims' }),
          env: opts.env,
          liveness: (now) => livenessOf(settings, now),
          claimOnServer,
        })
      : undefined;
    // One timer at most, and only while a server holds a claim: an idle monitor wakes for nothing.
    let claimsTimer: NodeJS.Timeout | undefined;
    const claimsJob = (): Promise<void> =>
      followClaims
        ? lane.run(
            'claims',
            async () => {
              const { nextAt } = await followClaims();
              clearTimeout(claimsTimer);
              claimsTimer = undefined;
              if (nextAt === undefined) return;
              claimsTimer = setTimeout(() => void claimsJob(), Math.max(CLAIMS_MIN_GAP_MS, nextAt - Date.now()));
              claimsTimer.unref();
            },
            'again',
          )
        : Promise.resolve();
    cleanups.push(() => clearTimeout(claimsTimer));
    const changes = watchChanges({ deps: refreshDeps, lane, onFollowed: syncPushes, afterWake: claimsJob });
    changes.followProjects();
    if (opts.services.subscribe) {
      const p = watchPushes({ deps: refreshDeps, subscribe: opts.services.subscribe, wake: () => changes.wake() });
      push = p;
      refreshDeps.pushed = (key) => p.live(key);
    }
    cleanups.push(async () => {
      await changes.close();
      // Let a refresh in flight finish: it writes in one transaction, so it is all or nothing either way.
      await lane.drained();
    });
    // Before the lane drains: no pushed change may queue a fetch after that.
    if (push) cleanups.push(() => push?.close());
    const taskCycle = () =>
      lane.run(
        'tasks',
        async () => {
          // Followed first, so that only a project registered while the cycle runs is new after it (the cycle
          // fetches the others).
          changes.followProjects();
          await refreshTaskCycle(refreshDeps);
          await changes.followAndFetchNew();
          syncPushes();
          await pruneIfDue(refreshDeps);
        },
        'join',
      );

    // Hundreds of machines synced by NTP share a schedule: each waits a random part of the gap first, so the task
    // server sees their cycles spread over it instead of all in the same second.
    const stopJitter = new AbortController();
    const taskSchedule: Schedule = scheduleJob(
      config.taskSchedule,
      async () => {
        const next = taskSchedule.nextRun();
        const waitMs = scheduleJitterMs(next ? next.getTime() - Date.now() : 0, TASK_JITTER_CAP_MS);
        const waited = await sleep(waitMs, stopJitter.signal).then(
          () => true,
          () => false,
        );
        if (waited) await taskCycle();
      },
      { name: 'tasks', log },
    );
    const schedules: Schedule[] = [
      taskSchedule,
      scheduleJob(config.gitSchedule, () => changes.pollUnwatched(), { name: 'git', log }),
    ];
    cleanups.push(async () => {
      stopJitter.abort();
      for (const s of schedules) await s.stop();
    });

    const info: MonitorInfo = {
      pid: process.pid,
      startedAt: Date.now(),
      hookPort: served?.port ?? null,
      ...(hookProblem ? { hookProblem } : {}),
      taskSchedule: config.taskSchedule,
      gitSchedule: config.gitSchedule,
      ...(embeddedUrl ? { embeddedUrl } : {}),
    };
    writeMonitorInfo(home, info);
    cleanups.push(() => rmSync(paths.info, { force: true }));
    log.info({ ...info }, 'monitor started');
    void taskCycle();
    // Marks left while no monitor ran, for branches the first cycle does not fetch.
    void changes.wake();
    const { preload } = opts.services;
    if (preload) {
      void lane.run(
        'preload',
        async () => {
          await preload();
          log.info('ready: the network stack is loaded');
        },
        'join',
      );
    }

    let stopping: Promise<void> | undefined;
    return {
      started: true,
      monitor: {
        info,
        cache,
        log,
        logFile: fileLog.file,
        refreshNow: taskCycle,
        stop: () => {
          stopping ??= (async () => {
            log.info('monitor stopping');
            await unwind();
          })();
          return stopping;
        },
      },
    };
  } catch (err) {
    log.error({ err }, 'monitor could not start');
    await unwind();
    throw err;
  }
}

/**
 * Runs until SIGTERM or SIGINT, then stops cleanly and resolves 0. `onReady` runs once everything listens
 * (`taskhooks start` prints a session's context then).
 */
export async function runUntilSignalled(
  opts: { settings: Settings; env: NodeJS.ProcessEnv; services: MonitorServices },
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
    if (onReady) onReady(m).catch((err: unknown) => m.log.error({ err }, 'start-up step failed'));
  });
  return result;
}
