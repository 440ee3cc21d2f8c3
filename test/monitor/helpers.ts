// Real monitor processes for the integration tests: temp homes, the built CLI, and cleanup that never leaves one behind.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import { hookEnv, ROOT, runHook, sessionStartInput, tempHome, withHomeCache } from '../helpers/hooks.js';
import { makeRepo, type TempRepo } from '../helpers/git.js';
import { makeRepoFor } from './fixtures.js';
import { registerProject } from '../../src/cache/registered-projects.js';
import type { MonitorInfo } from '../../src/home/files.js';
import { processState } from '../../src/home/lock.js';
import { isProcessAlive } from '../../src/util/file-lock.js';

export const CLI = path.join(ROOT, 'dist/cli.js');

/** The version and build id dist/ was built as (its BUILD file), as a monitor of this build publishes them. */
export const built = (): { version: string; buildId: string } =>
  JSON.parse(readFileSync(path.join(ROOT, 'dist', 'BUILD'), 'utf8')) as { version: string; buildId: string };

/**
 * Gone: exited, or a zombie its parent has not reaped yet (it holds no port, socket or lock). A monitor started
 * detached is reaped by init, which here may take a while after it exits.
 */
export const gone = (pid: number): boolean => !isProcessAlive(pid) || processState(pid) === 'Z';
/**
 * Only ends a CLI run that is wedged: a cold `tasks add` that takes 1.5 s alone took over 60 s while another test file
 * ran fifty at once on the same two cores, none of it in the monitor (the store untouched, its backups idle).
 */
const CLI_TIMEOUT_MS = 120_000;

export interface MonitorHome {
  home: string;
  /** Every pid a test started or read from monitor.json: all are SIGKILLed by cleanup. */
  pids: Set<number>;
  cli(args: string[], cwd?: string): { code: number | null; stdout: string; stderr: string };
  /** `monitor run` as a direct child (in `cwd`, the home by default), so its exit code is observable. */
  run(cwd?: string): ChildProcess;
  info(): MonitorInfo | undefined;
  register(root: string, name: string, lastSeen?: number): void;
  cleanup(): void;
}

export function monitorHome(config: Record<string, unknown>): MonitorHome {
  const { monitor, ...rest } = config as { monitor?: Record<string, unknown> };
  const t = tempHome({
    ...rest,
    monitor: { hookPort: 0, storeServerPort: 0, gitSchedule: '*/10 * * * * *', ...monitor },
  });
  const pids = new Set<number>();
  const env = hookEnv(t.home);
  const m: MonitorHome = {
    home: t.home,
    pids,
    cli(args, cwd = t.home) {
      const r = spawnSync(process.execPath, [CLI, ...args], { env, cwd, encoding: 'utf8', timeout: CLI_TIMEOUT_MS });
      const pid = m.info()?.pid;
      if (pid) pids.add(pid);
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    run(cwd = t.home) {
      const child = spawn(process.execPath, [CLI, 'monitor', 'run'], { env, cwd, stdio: 'ignore' });
      if (child.pid) pids.add(child.pid);
      return child;
    },
    info() {
      const file = path.join(t.home, 'monitor.json');
      if (!existsSync(file)) return undefined;
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as MonitorInfo;
      } catch {
        return undefined; // being written
      }
    },
    register(root, name, lastSeen = Date.now()) {
      withHomeCache(t.home, (s) =>
        registerProject(s, { root, name, sourceKey: 'test', registeredBy: 'test' }, lastSeen),
      );
    },
    cleanup() {
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      t.cleanup();
    },
  };
  return m;
}

export async function waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
}

/**
 * What the tests of one file make, undone after each test even when an assertion failed: monitor homes first (their
 * processes are killed before anything they use goes away), then the rest in the order it was made.
 */
export function perTest(): { home(config: Record<string, unknown>): MonitorHome; undo(fn: () => unknown): void } {
  const homes: MonitorHome[] = [];
  const undos: Array<() => unknown> = [];
  afterEach(async () => {
    for (const m of homes.splice(0)) m.cleanup();
    for (const u of undos.splice(0)) await u();
  });
  return {
    home(config) {
      const m = monitorHome(config);
      homes.push(m);
      return m;
    },
    undo(fn) {
      undos.push(fn);
    },
  };
}

/**
 * A monitor (the built CLI) following the task server at `url` with `token`, polling on `taskSchedule` (never, by
 * default), and a repository of `project` whose first SessionStart registered it. `cleanup` ends both.
 */
export async function monitorFollowing(
  url: string,
  token: string,
  project: string,
  taskSchedule = '0 0 1 1 *',
): Promise<{ m: MonitorHome; repo: TempRepo; cleanup(): void }> {
  const m = monitorHome({
    source: { servers: [url], timeoutMs: 5000 },
    auth: { token },
    monitor: { taskSchedule, gitSchedule: '0 0 1 1 *' },
  });
  const repo = makeRepoFor(project);
  const cleanup = (): void => {
    m.cleanup();
    repo.cleanup();
  };
  try {
    expect(m.cli(['monitor', 'start']).code).toBe(0);
    const start = await runHook('session-start', sessionStartInput(repo.dir, 's-1'), { home: m.home, cwd: repo.dir });
    expect(start.code).toBe(0);
  } catch (err) {
    cleanup();
    throw err;
  }
  return { m, repo, cleanup };
}

/**
 * A home whose monitor was started, with the project `shop` installed by the built CLI while it ran: what a person's
 * machine holds once installed. Both are undone by `cleanups`.
 */
export function installedShop(
  config: Record<string, unknown>,
  cleanups: Array<() => unknown>,
): { m: MonitorHome; repo: TempRepo } {
  const m = monitorHome(config);
  cleanups.push(() => {
    m.cli(['monitor', 'stop']);
    m.cleanup();
  });
  const repo = makeRepo({ name: 'shop' });
  cleanups.push(repo.cleanup);
  expect(m.cli(['monitor', 'start']).code).toBe(0);
  expect(m.cli(['install'], repo.dir).code).toBe(0);
  return { m, repo };
}
