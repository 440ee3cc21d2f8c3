import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { childProcess } from '../util/child-process.js';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors/user.js';
import { monitorEnvironment } from '../log/child-env.js';
import type { Logger } from '../log/logger.js';
import { sleep } from '../util/deadline.js';
import { packageRoot } from '../util/package.js';
import { homeFiles, type MonitorInfo } from './files.js';
import { STORE_FD_ENV, type HandedListener } from './handed-listener.js';
import { readLiveOwner } from './lock.js';
import { otherMonitorCode, readMonitorInfo } from './monitor-info.js';

/** Set to 1 where no monitor may be left behind (tests, CI): hooks and the CLI then never start one. */
const NO_AUTOSTART_ENV = 'TASKHOOKS_NO_AUTOSTART';

/** dist/cli.js of this installation, whichever bundle (or source file, under tests) this code runs from. */
function cliScriptPath(): string {
  return path.join(packageRoot(), 'dist', 'cli.js');
}

/**
 * A small young generation makes V8 collect the refresh's short-lived JSON often instead of growing to tens of MB:
 * the monitor lives for days, so its resident size matters more than a little GC time. Node's fetch parses HTTP with
 * a WebAssembly build of llhttp, and optimising it (once, on a V8 worker thread) took ~30 MB of compiler memory that
 * malloc kept resident for good; `--liftoff-only` leaves that code at the baseline tier. `--no-sparkplug --max-lazy`: no
 * baseline code and no eager compiles of the many modules it loads (a few MB). `--max-opt=0`: no optimising compiler,
 * whose code (about 6 MB of Node's binary) the start-up's module resolution paged in for good; measured, served hooks
 * cost 5 to 18% more CPU and a fetch of 20 projects × 1,000 tasks 18% more time, for 6 MB less at idle and 8 MB less
 * after the soak. Maglev alone kept less off, and its code grew the soak's high-water mark past its bound. Measured
 * with `npm run bench monitor-idle` and `npm run bench monitor`.
 */
export const MONITOR_NODE_FLAGS = [
  '--max-semi-space-size=1',
  '--optimize-for-size',
  '--expose-gc',
  '--liftoff-only',
  '--no-sparkplug',
  '--max-lazy',
  '--max-opt=0',
];

/**
 * glibc gives each thread that allocates (libuv's pool, V8's platform workers) an arena of its own, whose touched pages
 * stay resident: measured, one arena takes the monitor's resident size down by about 10 MB after big refresh cycles.
 * The monitor's allocations are almost all on its main thread, so the arenas buy it nothing. A value the user set wins.
 */
const MONITOR_ENV: NodeJS.ProcessEnv = { MALLOC_ARENA_MAX: '1' };

/**
 * The monitor's stderr, appended to logs/monitor.stderr: what Node prints when the monitor dies before its logger is
 * up (a module that fails to load, an uncaught error) would otherwise go nowhere.
 */
function crashFile(home: string, log: Logger): number | undefined {
  try {
    mkdirSync(homeFiles(home).logs, { recursive: true, mode: 0o700 });
    return openSync(homeFiles(home).monitorStderr, 'a', 0o600);
  } catch (err) {
    log.warn({ err }, "could not open the monitor's stderr file; a crash before its log starts leaves no trace");
    return undefined;
  }
}

/**
 * Spawns `command args` detached. An orphan is started by a shell in the background, the shell exiting at once, so the
 * program is no child of the caller: an agent that ends its hooks' process trees as it exits (Claude Code does when a
 * SessionStart stops its session) would otherwise end the monitor that hook just started. The child returned is then
 * the shell's.
 */
function spawnDetached(
  command: string,
  args: string[],
  options: Omit<SpawnOptions, 'detached'> & { orphan: boolean },
): ChildProcess {
  const { spawn } = childProcess();
  const { orphan, ...rest } = options;
  // windowsHide: a detached process on Windows otherwise opens a console window of its own.
  const detached = { ...rest, detached: true, windowsHide: true };
  if (!orphan || process.platform === 'win32') return spawn(command, args, detached);
  return spawn('/bin/sh', ['-c', '"$@" &', 'sh', command, ...args], detached);
}

/** The environment spawnMonitor gives the monitor of `home` (it runs with `home` as its working directory). */
export function monitorChildEnv(home: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...MONITOR_ENV, ...monitorEnvironment(env), TASKHOOKS_HOME: home };
}

/**
 * Starts `node dist/cli.js monitor run` for `home`, detached from the caller (which may exit at once); `orphan` where
 * the caller is a hook (spawnDetached).
 */
export function spawnMonitor(
  home: string,
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
  store?: HandedListener,
  orphan = false,
): ChildProcess {
  const stderr = crashFile(home, log);
  const child = spawnDetached(process.execPath, [...MONITOR_NODE_FLAGS, cliScriptPath(), 'monitor', 'run'], {
    orphan,
    stdio: ['ignore', 'ignore', stderr ?? 'ignore', ...(store ? [store.fd] : [])],
    env: { ...monitorChildEnv(home, env), ...(store ? { [STORE_FD_ENV]: `3:${store.port}` } : {}) },
    cwd: home,
  });
  if (stderr !== undefined) closeSync(stderr);
  child.on('error', (err) => log.warn({ err }, 'could not start the monitor'));
  child.unref();
  return child;
}

/**
 * `taskhooks monitor start` of this build, detached: it stops the monitor of another build that serves `home` and
 * starts this one's. A SessionStart cannot wait the seconds a monitor takes to stop, so that process does.
 */
function replaceDetached(home: string, log: Logger, other: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawnDetached(process.execPath, [cliScriptPath(), 'monitor', 'start'], {
    orphan: true,
    stdio: 'ignore',
    env: { ...env, TASKHOOKS_HOME: home },
    cwd: home,
  });
  child.on('error', (err) => log.warn({ err }, 'could not replace the monitor of another build'));
  child.unref();
  log.info({ other }, 'the monitor runs another build: replacing it with this one (monitor start)');
  return child;
}

/**
 * Makes sure a monitor of this build runs for `home`, starting one detached if none does and replacing one of another
 * build; never waits for it. Cheap enough for every SessionStart: a pid-file read, a signal-0 probe, monitor.json.
 */
export function ensureMonitorRunning(
  home: string,
  log: Logger,
  opts: { env?: NodeJS.ProcessEnv; store?: HandedListener | undefined } = {},
): { running: boolean; started: boolean; pid?: number; replacing?: string } {
  const { env = process.env, store } = opts;
  const owner = readLiveOwner(home);
  const info = owner && readMonitorInfo(home);
  const other = info && otherMonitorCode(info);
  if (owner && !other) return { running: true, started: false, pid: owner.pid };
  if (env[NO_AUTOSTART_ENV] === '1') return { running: owner !== undefined, started: false };
  try {
    if (other) {
      replaceDetached(home, log, other, env);
      return { running: true, started: true, replacing: other };
    }
    spawnMonitor(home, log, env, store, true);
    log.info('no monitor was running: started one');
    return { running: false, started: true };
  } catch (err) {
    log.warn({ err }, 'could not start the monitor; hooks fetch tasks themselves meanwhile');
    return { running: false, started: false };
  }
}

/** How long a monitor just started may take to publish its ports. */
const START_WAIT_MS = 15_000;

/**
 * What this home's monitor publishes (its ports), for a command that must talk to it: one is started when none runs,
 * and waited for. Throws what to do when none runs by then.
 */
export async function runningMonitor(
  home: string,
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<MonitorInfo> {
  let info = readMonitorInfo(home);
  if (info) return info;
  const started = ensureMonitorRunning(home, log, { env });
  if (!started.running && !started.started) {
    throw new UserError(
      'the monitor is not running and could not be started: run `taskhooks monitor start`',
      'unavailable',
    );
  }
  const until = Date.now() + START_WAIT_MS;
  while (!info && Date.now() < until) {
    await sleep(100);
    info = readMonitorInfo(home);
  }
  if (info) return info;
  throw new UserError(
    `the monitor did not start in ${START_WAIT_MS / 1000} s: see \`taskhooks monitor status\` and ${homeFiles(home).monitorLog}`,
  );
}
