// A monitor that holds its lock but does not answer (SIGSTOPped, or hung): what `monitor status`, doctor and a
// session's start say of it, and `monitor start` replacing it. Real monitor processes, the built CLI and hook, a temp
// HOME; every stopped process is continued or killed in cleanup.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { homeFiles } from '../../src/home/files.js';
import { processSince, processState } from '../../src/home/lock.js';
import { probeMonitor } from '../../src/home/monitor-probe.js';
import { squat } from '../helpers/second-user.js';
import { makeRepo } from '../helpers/git.js';
import { hookEnv, installedSessionStart, parseHookStdout, ROOT, sessionStartInput } from '../helpers/hooks.js';
import { built, gone, monitorHome, perTest, waitFor, type MonitorHome } from './helpers.js';

const t = perTest();

/**
 * `m`'s monitor started, then SIGSTOPped; `undo` continues it again whatever happened (before it is killed with its
 * home).
 */
function stoppedMonitor(m: MonitorHome, undo: (fn: () => void) => void): { m: MonitorHome; pid: number } {
  expect(m.cli(['monitor', 'start']).code).toBe(0);
  const pid = m.info()?.pid ?? 0;
  expect(pid).toBeGreaterThan(0);
  process.kill(pid, 'SIGSTOP');
  undo(() => {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // already gone
    }
  });
  return { m, pid };
}

/** One stopped monitor for the tests that only ask about it, made at the first one's start and ended after the file. */
let shared: { m: MonitorHome; pid: number } | undefined;
const sharedUndos: Array<() => void> = [];
afterAll(() => {
  for (const u of sharedUndos.splice(0).reverse()) u();
});
function sharedStoppedMonitor(): { m: MonitorHome; pid: number } {
  if (shared) return shared;
  const m = monitorHome({});
  sharedUndos.push(() => m.cleanup());
  shared = stoppedMonitor(m, (fn) => sharedUndos.push(fn));
  return shared;
}

const silentLine = (pid: number) =>
  `the monitor (pid ${pid}) holds its lock but does not answer: it is stopped or hung (its process is stopped)`;
const FIX = 'run `taskhooks monitor start`, which replaces it';

describe('a SIGSTOPped monitor', () => {
  it('is named as not answering, with the one command that fixes it, by monitor status and doctor', () => {
    const { m, pid } = sharedStoppedMonitor();

    const status = m.cli(['monitor', 'status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Monitor: not answering (pid ${pid}): ${silentLine(pid)}; ${FIX}`);
    expect(status.stdout).not.toContain('Monitor: running');
    const json = JSON.parse(m.cli(['monitor', 'status', '--json']).stdout) as {
      running: boolean;
      notAnswering: string;
    };
    expect(json).toMatchObject({ running: true, notAnswering: `${silentLine(pid)}; ${FIX}` });

    const doctor = m.cli(['doctor', '--json']);
    expect(doctor.code).toBe(1);
    const steps = (
      JSON.parse(doctor.stdout) as { steps: Array<{ name: string; ok: boolean; detail: string; fix?: string }> }
    ).steps;
    expect(steps.find((s) => s.name === 'monitor')).toMatchObject({ ok: false, detail: silentLine(pid), fix: FIX });
    // The built-in store is reached through that monitor: the cause is named, not a timeout and source.timeoutMs.
    const reach = steps.find((s) => s.name === 'reachability');
    expect(reach).toMatchObject({ ok: false, fix: FIX });
    expect(reach?.detail).toContain(silentLine(pid));
  });

  it("gives SessionStart's command, run when the socket path finds it late, the line that says so", () => {
    const { m, pid } = sharedStoppedMonitor();
    const repo = makeRepo({ name: 'shop' });
    t.undo(repo.cleanup);
    // The SessionStart entry install writes: the socket client over the monitor's socket, else the node hook.
    const command = installedSessionStart(m.home);
    const r = spawnSync('sh', ['-c', command], {
      input: JSON.stringify(sessionStartInput(repo.dir, 's-stopped')),
      env: hookEnv(m.home),
      cwd: repo.dir,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(0);
    const context = parseHookStdout(r.stdout)?.hookSpecificOutput.additionalContext ?? '';
    expect(context).toContain(`Note: taskhooks: ${silentLine(pid)}; ${FIX}`);
  });

  it('is replaced by monitor start: continued, stopped, and a new monitor answers', async () => {
    const { m, pid } = stoppedMonitor(t.home({}), t.undo);

    const start = m.cli(['monitor', 'start']);
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toContain(
      `Note: the monitor (pid ${pid}) held its lock but did not answer (its process was stopped); it answered once continued (SIGCONT), was stopped, and a new one started.`,
    );
    const now = m.info()?.pid ?? 0;
    expect(now).not.toBe(pid);
    expect(start.stdout).toContain(`Monitor running (pid ${now}).`);
    expect(gone(pid)).toBe(true);
    expect(await probeMonitor(m.home, 5000)).toEqual({ kind: 'answers', pid: now });
    expect(m.cli(['monitor', 'status']).stdout).toContain(`Monitor: running (pid ${now}`);
  });
});

/**
 * A hung monitor: a process whose command line is a monitor's (`… monitor run`) that holds this home's lock, taken as
 * a monitor takes it (the run of its process named), and accepts connections on its socket, but never answers one.
 * It says it runs this build, so that `monitor start` replaces it as a silent monitor rather than as one of another
 * build.
 */
function hungMonitor(m: MonitorHome): number {
  const socket = path.join(m.home, 'monitor.sock');
  const script = `
    const fs = require('node:fs');
    require('node:net').createServer(() => {}).listen(${JSON.stringify(socket)}, () => {
      fs.writeFileSync(${JSON.stringify(path.join(m.home, 'monitor.json'))}, JSON.stringify({
        pid: process.pid, startedAt: Date.now(), hookPort: null, hookSocket: ${JSON.stringify(socket)},
        taskSchedule: '0 0 1 1 *', gitSchedule: '0 0 1 1 *', codeRoot: ${JSON.stringify(ROOT)},
        version: ${JSON.stringify(built().version)}, buildId: ${JSON.stringify(built().buildId)} }));
    });
    process.on('SIGTERM', () => {});`;
  const child = spawn(process.execPath, ['-e', script, 'monitor', 'run'], { stdio: 'ignore' });
  const pid = child.pid ?? 0;
  m.pids.add(pid);
  writeFileSync(homeFiles(m.home).lock, JSON.stringify({ pid, startedAt: Date.now(), since: processSince(pid) }));
  return pid;
}

describe('a hung monitor', () => {
  it('is killed by monitor start, which starts a new one that answers', async () => {
    const m = t.home({});
    const pid = hungMonitor(m);
    await waitFor('the hung monitor to publish its socket', () => m.info()?.pid === pid);
    expect(await probeMonitor(m.home, 300)).toMatchObject({ kind: 'silent', pid, stopped: false });

    const start = m.cli(['monitor', 'start']);
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toContain(
      `Note: the monitor (pid ${pid}) held its lock but did not answer; it did not answer once continued (SIGCONT) either, so it was killed (SIGKILL) and a new one started.`,
    );
    expect(gone(pid)).toBe(true);
    const now = m.info()?.pid ?? 0;
    expect(now).not.toBe(pid);
    expect(await probeMonitor(m.home, 5000)).toEqual({ kind: 'answers', pid: now });
  });
});

describe('a stale lock whose pid another process holds', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it.runIf(process.getuid?.() === 0)(
    'is taken over by monitor start, which starts a monitor and signals that process nothing',
    async () => {
      const cases: Array<[string, string[], (pid: number) => object]> = [
        ['a lock of this build, another run of the pid', ['start'], (pid) => ({ pid, startedAt: 1, since: 'x/1' })],
        // Passes for a monitor by its command line: what listens on the dead monitor's port cannot prove it is one.
        ["an earlier build's lock, `… monitor run`", ['monitor', 'run'], (pid) => ({ pid, startedAt: 1 })],
      ];
      for (const [what, args, lock] of cases) {
        const m = t.home({});
        // Another user's process: the monitor died unannounced, and this one has its pid and listens on its port.
        const stranger = await squat(0, cleanups, "'{}'", args);
        const { port } = stranger;
        const pid = stranger.child.pid ?? 0;
        writeFileSync(homeFiles(m.home).lock, JSON.stringify(lock(pid)));
        const info = { pid, startedAt: 1, hookPort: port, taskSchedule: '0 0 1 1 *', gitSchedule: '0 0 1 1 *' };
        writeFileSync(homeFiles(m.home).info, JSON.stringify({ ...info, codeRoot: ROOT, ...built() }));

        const start = m.cli(['monitor', 'start']);
        expect(start.code, `${what}: ${start.stderr}`).toBe(0);
        const now = m.info()?.pid ?? 0;
        expect(now, what).not.toBe(pid);
        expect(await probeMonitor(m.home, 5000), what).toEqual({ kind: 'answers', pid: now });
        // Never signalled: still alive, still running.
        expect(() => process.kill(pid, 0), what).not.toThrow();
        expect(processState(pid), what).not.toMatch(/[TtZ]/);
        expect(stranger.received(), what).not.toContain(readFileSync(homeFiles(m.home).hookToken, 'utf8').trim());
        expect(m.cli(['monitor', 'stop']).code, what).toBe(0);
        expect(() => process.kill(pid, 0), what).not.toThrow();
      }
    },
  );
});
