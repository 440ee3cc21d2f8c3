// The monitor's subsystems, each started on its own and registering its own stop: the store server, the
// served hooks (and the dashboard on their port), and the refreshing core (the job lane, change and push watches, the
// claim follower, the schedules). startMonitor (daemon.ts) starts them in this order; they stop in reverse.
import type { Cache } from '../cache/cache.js';
import type { Settings } from '../config/settings.js';
import { livenessOf } from '../hooks/live-session.js';
import type { Logger } from '../log/index.js';
import { sleep } from '../util/deadline.js';
import { scheduleJitterMs } from '../util/jitter.js';
import {
  createLane,
  refreshTaskCycle,
  scheduleJob,
  watchChanges,
  watchPushes,
  type ChangeWatch,
  type CollectGitStateFn,
  type Lane,
  type PushWatch,
  type RefreshDeps,
  type RefreshTasksFn,
  type Schedule,
  type SubscribeFn,
} from './refresh/index.js';
import { type ClaimOnServerFn, createClaimFollower } from './claims.js';
import type { Dashboard } from '../dashboard/mount.js';
import { createMemoryKeeper, memoryMiB, mib, pruneIfDue } from './upkeep/index.js';
import type { ServedCaller } from '../hooks/hosts/served.js';
import { startServedHooks, type HookEvent, type ServedHookHandler } from './serve/served-hooks.js';
import {
  listenOnEndpoint,
  mcpSocketPath,
  monitorSocketPath,
  portChoices,
  removeStoreServerEndpoint,
  writeStoreServerEndpoint,
  type PortMove,
} from '../home/endpoint.js';
import { handedStoreSocket, type StoreServerStart, type TaskStore } from './serve/store-server.js';
import { startMcpSocket } from './serve/mcp-socket.js';

/** What the monitor uses from the other areas; passed in so the loop can be tested with fakes. */
export interface MonitorServices {
  refreshTasks: RefreshTasksFn;
  collectGitState: CollectGitStateFn;
  /** One hook event through src/hooks with the daemon's cache (the served hooks' single code path). */
  runHook(
    event: HookEvent,
    input: unknown,
    ctx: { cache: Cache; log: Logger; caller?: ServedCaller },
  ): Promise<object | null>;
  /** Hosts the built-in task server; only called when no remote source is configured. */
  startStoreServer(ctx: StoreServerStart): Promise<{
    url: string;
    token: string;
    /** The store it serves, which mcp.sock serves the plugin's sessions too. */
    store?: TaskStore;
    /** `keepFiles`: the home is lost, and the files at its paths may be another monitor's: the port is let go only. */
    close(keepFiles?: boolean): Promise<void>;
  }>;
  /** Tells task servers about the sessions' claims; without it claims stay in the cache of this machine. */
  claimOnServer?: ClaimOnServerFn;
  /** Subscribes to a source's pushed changes; without it every remote source is polled. */
  subscribe?: SubscribeFn;
  /**
   * Loads what a first fetch from `source` needs while nothing waits for it: a session that starts in a new project
   * (sixteen at once, say, each waiting for the monitor) is then not also kept waiting for the network stack to load.
   */
  preload?(source: Settings['source']): Promise<boolean>;
  /** The web page on the served hooks' port (`taskhooks dashboard`); without it the port serves hooks only. */
  dashboard?(ctx: { home: string; cache: Cache; log: Logger }): Dashboard;
}

/** What every part is started with. */
export interface PartContext {
  settings: Settings;
  env: NodeJS.ProcessEnv;
  services: MonitorServices;
  cache: Cache;
  log: Logger;
  /** Registers a step of the monitor's stop. */
  onStop(stop: () => Promise<void> | void): void;
  /**
   * True once the home was deleted or replaced: the stop then leaves every file at the home's paths alone (they may be
   * a new monitor's) and closes no database there (SQLite's close would remove a `-wal` by its path).
   */
  homeLost(): boolean;
  /** Rotates the monitor's log when it has grown (between jobs); true when it did. */
  rotateLog(): boolean;
}

/** The least time between two runs of the claim follower that no wake asked for. */
const CLAIMS_MIN_GAP_MS = 1000;
/** The most a scheduled task cycle waits before it starts (at most half the gap to the next run). */
const TASK_JITTER_CAP_MS = 60_000;

/** Where a part listens on the endpoint, and how the endpoint's record moved to get there. */
export interface EndpointPart {
  port: number;
  held: number[];
  moves: PortMove[];
}

/** Serves the embedded store when no source is configured; where, or undefined. */
export async function startStoreServerPart(
  p: PartContext,
): Promise<(EndpointPart & { url: string; store?: TaskStore }) | undefined> {
  if (p.settings.source.plan.kind !== 'embedded') return undefined;
  const { home } = p.settings;
  try {
    const log = p.log.child({ part: 'store-server' });
    const { store } = portChoices(home, p.settings.monitor);
    const handed = handedStoreSocket(process.env);
    const listener = await listenOnEndpoint(
      home,
      'store',
      store,
      (port, token) =>
        p.services.startStoreServer({
          ...{ settings: p.settings, cache: p.cache, log, port, token },
          ...(handed?.port === port ? { fd: handed.fd } : {}),
        }),
      handed?.port,
    );
    // A handed socket on a port no longer chosen (the config changed meanwhile) would hold that port for nothing.
    if (handed && handed.port !== listener.port) handed.close(log);
    const served = listener.value;
    p.onStop(() => served.close(p.homeLost()));
    writeStoreServerEndpoint(home, { url: served.url, token: served.token, pid: process.pid });
    p.onStop(() => {
      if (!p.homeLost()) removeStoreServerEndpoint(home);
    });
    return {
      url: served.url,
      port: listener.port,
      held: listener.held,
      moves: listener.moves,
      ...(served.store ? { store: served.store } : {}),
    };
  } catch (err) {
    // Without embedded.json every reader opens tasks.db in-process instead: slower, still correct.
    p.log.error({ err }, 'store server unavailable; readers use tasks.db directly');
    return undefined;
  }
}

/**
 * The plugin's hook tool and task tools (the store server's store, when it runs) on mcp.sock; without it the plugin's
 * bridge serves them itself, slower, still correct.
 */
async function startMcpSocketPart(
  p: PartContext,
  handle: ServedHookHandler,
  store: TaskStore | undefined,
): Promise<string | undefined> {
  const file = mcpSocketPath(p.settings.home);
  if (!file) return undefined;
  try {
    const socket = await startMcpSocket({ file, handle, log: p.log, env: p.env, ...(store ? { store } : {}) });
    p.onStop(() => socket.close());
    return file;
  } catch (err) {
    p.log.error({ err, socket: file }, "mcp socket unavailable; the plugin's sessions each serve their hook tool");
    return undefined;
  }
}

/** What the served part reports: where it listens, or the problem that kept it from listening. */
export type ServedPart =
  | (EndpointPart & { socket?: string; mcpSocket?: string; problem?: string })
  | { port: null; problem: string };

/** The served hooks and the dashboard on the endpoint's hook port; the plugin's MCP socket, with `store`'s tools. */
export async function startServedPart(p: PartContext, store?: TaskStore): Promise<ServedPart> {
  const { home } = p.settings;
  const handle: ServedHookHandler = (event, input, caller) =>
    p.services.runHook(event, input, { cache: p.cache, log: p.log, caller });
  try {
    const { hook } = portChoices(home, p.settings.monitor);
    const listener = await listenOnEndpoint(home, 'hook', hook, async (port, token) => {
      const dashboard = p.services.dashboard?.({
        home,
        cache: p.cache,
        log: p.log.child({ part: 'dashboard' }),
      });
      try {
        const socketPath = monitorSocketPath(home);
        const mount = dashboard ? { mount: dashboard.handle } : {};
        return { dashboard, served: await startServedHooks({ port, token, log: p.log, socketPath, handle, ...mount }) };
      } catch (err) {
        await dashboard?.close();
        throw err;
      }
    });
    const { dashboard, served } = listener.value;
    if (dashboard) p.onStop(() => dashboard.close());
    p.onStop(() => served.close());
    const mcpSocket = await startMcpSocketPart(p, handle, store);
    const [first] = listener.held;
    return {
      port: served.port,
      held: listener.held,
      moves: listener.moves,
      ...(first === undefined
        ? {}
        : { problem: `another process holds 127.0.0.1:${first}, so hooks are served on ${served.port}` }),
      ...('path' in served.socket ? { socket: served.socket.path } : {}),
      ...(mcpSocket ? { mcpSocket } : {}),
    };
  } catch (err) {
    // Refreshing is the monitor's first job; hooks still work as commands without the served path. monitor.json
    // carries the problem, so `monitor status` and `doctor` say it, not only this log.
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    const problem = `cannot listen on 127.0.0.1 for hooks (${code})`;
    p.log.error({ err }, `served hooks unavailable: ${problem}; set monitor.hookPort`);
    return { port: null, problem };
  }
}

/** The one lane jobs run in, collecting the heap after a job that allocated much and rotating the log between jobs. */
function startLane(p: PartContext): Lane {
  // Without --expose-gc (`taskhooks monitor run` as a service), V8's own memory reducer gives the pages back later.
  const memory = createMemoryKeeper({ gc: (globalThis as { gc?: () => void }).gc });
  p.onStop(() => memory.close());
  return createLane({
    log: p.log,
    beforeEach: () => memory.beforeJob(),
    afterEach: () => {
      const job = memory.afterJob();
      if (job.collected)
        p.log.debug(
          { allocatedMiB: mib(job.allocatedBytes), memory: memoryMiB() },
          'collected the heap after a job that allocated much',
        );
      if (p.rotateLog()) p.log.info('log rotated');
    },
  });
}

/**
 * The job that brings the servers' claims in line with the sessions' (a session whose process is gone lets go too).
 * One timer at most, and only while a server holds a claim: an idle monitor wakes for nothing.
 */
function startClaimsJob(p: PartContext, lane: Lane): () => Promise<void> {
  const { claimOnServer } = p.services;
  if (!claimOnServer) return () => Promise.resolve();
  const follow = createClaimFollower({
    home: p.settings.home,
    cache: p.cache,
    log: p.log.child({ part: 'claims' }),
    env: p.env,
    liveness: (now) => livenessOf(p.settings, now),
    claimOnServer,
  });
  let timer: NodeJS.Timeout | undefined;
  p.onStop(() => clearTimeout(timer));
  const job = (): Promise<void> =>
    lane.run(
      'claims',
      async () => {
        const { nextAt } = await follow();
        clearTimeout(timer);
        timer = undefined;
        if (nextAt === undefined) return;
        timer = setTimeout(() => void job(), Math.max(CLAIMS_MIN_GAP_MS, nextAt - Date.now()));
        timer.unref();
      },
      'again',
    );
  return job;
}

/**
 * Hundreds of machines synced by NTP share a schedule: each waits a random part of the gap first, so the task server
 * sees their cycles spread over it instead of all in the same second.
 */
function startSchedules(p: PartContext, taskCycle: () => Promise<void>, changes: ChangeWatch): void {
  const { taskSchedule: taskCron, gitSchedule } = p.settings.monitor;
  const stopJitter = new AbortController();
  const taskSchedule: Schedule = scheduleJob(
    taskCron,
    async () => {
      const next = taskSchedule.nextRun();
      const waitMs = scheduleJitterMs(next ? next.getTime() - Date.now() : 0, TASK_JITTER_CAP_MS);
      const waited = await sleep(waitMs, stopJitter.signal).then(
        () => true,
        () => false,
      );
      if (waited) await taskCycle();
    },
    { name: 'tasks', log: p.log },
  );
  const schedules = [
    taskSchedule,
    scheduleJob(gitSchedule, () => changes.pollUnwatched(), { name: 'git', log: p.log }),
  ];
  p.onStop(async () => {
    stopJitter.abort();
    for (const s of schedules) await s.stop();
  });
}

/** What a refresh is given: the part's cache, log and settings, and the services that fetch. */
function refreshDepsOf(p: PartContext): RefreshDeps {
  const { settings, services } = p;
  return {
    home: settings.home,
    staleProjectDays: settings.monitor.staleProjectDays,
    cache: p.cache,
    log: p.log,
    env: p.env,
    refreshTasks: services.refreshTasks,
    collectGitState: services.collectGitState,
  };
}

/** The sources' pushed changes, when the services can subscribe: a live source is left out of the schedule. */
function startPushes(p: PartContext, deps: RefreshDeps, changes: ChangeWatch): PushWatch | undefined {
  const { subscribe } = p.services;
  if (!subscribe) return undefined;
  const push = watchPushes({ deps, subscribe, wake: () => changes.wake() });
  deps.pushed = (key) => push.live(key);
  p.onStop(() => push.close());
  return push;
}

/** The scheduled task cycle, one at a time in the lane (a cycle asked for while one runs joins it). */
function taskCycleJob(job: {
  lane: Lane;
  deps: RefreshDeps;
  changes: ChangeWatch;
  syncPushes(): void;
}): (git?: boolean) => Promise<void> {
  const { lane, deps, changes } = job;
  return (git = true): Promise<void> =>
    lane.run(
      'tasks',
      async () => {
        // Followed first, so that only a project registered while the cycle runs is new after it (the cycle fetches
        // the others).
        changes.followProjects();
        await refreshTaskCycle(deps, { git });
        await changes.followAndFetchNew();
        job.syncPushes();
        await pruneIfDue(deps);
      },
      'join',
    );
}

/** Loads the network stack in the lane while nothing waits for it, when the services can. */
function preloadNetwork(p: PartContext, lane: Lane): void {
  const { preload } = p.services;
  if (!preload) return;
  void lane.run(
    'preload',
    async () => {
      if (await preload(p.settings.source)) p.log.info('ready: the network stack is loaded');
      else p.log.info('ready: the network stack is not needed, the built-in store is read in process');
    },
    'join',
  );
}

/** The refreshing core; `begin` runs the first cycle and what start-up owes once the monitor is published. */
export function startRefreshingPart(p: PartContext): { taskCycle: () => Promise<void>; begin(): void } {
  const deps = refreshDepsOf(p);
  const lane = startLane(p);
  let push: PushWatch | undefined;
  const syncPushes = (): void => {
    push?.sync().catch((err: unknown) => p.log.error({ err }, 'subscribing to pushed changes failed'));
  };
  const claimsJob = startClaimsJob(p, lane);
  const changes = watchChanges({ deps, lane, onFollowed: syncPushes, afterWake: claimsJob });
  changes.followProjects();
  p.onStop(async () => {
    await changes.close();
    // Let a refresh in flight finish: it writes in one transaction, so it is all or nothing either way.
    await lane.drained();
  });
  // After the change watch's stop, so the pushes stop before the lane drains: no pushed change may queue a fetch then.
  push = startPushes(p, deps, changes);
  const taskCycle = taskCycleJob({ lane, deps, changes, syncPushes });
  startSchedules(p, taskCycle, changes);
  return {
    taskCycle,
    begin() {
      // No git reads in the first cycle: after a reboot the sessions starting read their own project's, and every
      // project's (three git processes each, forked on the thread that answers them) would hold their answers. The
      // next scheduled cycle reads the rest.
      void taskCycle(false);
      // Marks left while no monitor ran, for branches the first cycle does not fetch.
      void changes.wake();
      preloadNetwork(p, lane);
    },
  };
}
