// A command of another build stops this home's monitor only when the lock's pid is a monitor started for this home:
// a pid the lock names that serves another state directory is named and left running.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { UserError } from '../../src/errors/user.js';
import { processSince, readLiveOwner } from '../../src/home/lock.js';
import { watchStopRequests } from '../../src/home/signals.js';
import { signalMonitor, stopMonitor, stopOtherBuild } from '../../src/home/stop.js';
import { describeRun, runBuiltCli } from '../helpers/cli.js';
import { silentLogger } from '../helpers/cache.js';
import { hookEnv, tempHome } from '../helpers/hooks.js';

const undo: Array<() => void> = [];
afterEach(() => {
  for (const u of undo.splice(0)) u();
});

/** A process whose command line reads as `… monitor run`, started for `home`: what the lock's check sees. */
function fakeMonitor(home: string): number {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'monitor', 'run'], {
    env: { ...process.env, TASKHOOKS_HOME: home },
    stdio: 'ignore',
  });
  undo.push(() => child.kill('SIGKILL'));
  return child.pid ?? 0;
}

/** The lock as a monitor takes it, naming the run of `pid` (or, `legacy`, as a build before that took it). */
function holdLock(home: string, pid: number, info: Record<string, unknown>, legacy = false): void {
  mkdirSync(home, { recursive: true });
  const since = legacy ? undefined : processSince(pid);
  writeFileSync(path.join(home, 'monitor.pid'), JSON.stringify({ pid, startedAt: Date.now(), since }));
  writeFileSync(path.join(home, 'monitor.json'), JSON.stringify({ pid, startedAt: 0, hookPort: null, ...info }));
}

const self = { version: '0.2.0', buildId: '0123456789ab', codeRoot: '/opt/th' };

it('refuses to signal a lock owner that serves another state directory, naming it', async () => {
  const a = tempHome();
  const b = tempHome();
  undo.push(a.cleanup, b.cleanup);
  const pid = fakeMonitor(b.home);
  holdLock(a.home, pid, { version: '0.1.0', codeRoot: '/opt/old' });
  const err = await stopOtherBuild(a.home, silentLogger(), { self }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UserError);
  expect((err as Error).message).toBe(
    `the monitor lock of ${a.home} names pid ${pid}, a monitor started for ${b.home}: it was left running. If no monitor runs for ${a.home}, remove ${path.join(a.home, 'monitor.pid')}`,
  );
  expect(() => process.kill(pid, 0)).not.toThrow();
});

it('leaves a monitor of this build alone, and stops one of another build started for this home', async () => {
  const { home, cleanup } = tempHome();
  undo.push(cleanup);
  const pid = fakeMonitor(home);
  holdLock(home, pid, { ...self });
  expect(await stopOtherBuild(home, silentLogger(), { self })).toBeUndefined();
  holdLock(home, pid, { version: '0.2.0', codeRoot: '/opt/th' });
  expect(await stopOtherBuild(home, silentLogger(), { self, timeoutS: 5 })).toEqual({
    pid,
    code: 'taskhooks 0.2.0 (no build id) from /opt/th',
    killed: false,
  });
});

it('stops a real monitor without a signal, as on Windows: a stop request in its state directory, its cleanup run', async () => {
  const { home, cleanup } = tempHome();
  undo.push(cleanup);
  const env = hookEnv(home, { TASKHOOKS_NO_AUTOSTART: '0' });
  const started = await runBuiltCli(['monitor', 'start'], { cwd: home, env });
  expect(started.code, describeRun(started)).toBe(0);
  const pid = readLiveOwner(home)?.pid ?? 0;
  undo.push(() => signalMonitor(pid, 'SIGKILL'));
  const stopped = await stopMonitor({ home, timeoutS: 30, waiting: () => () => {}, platform: 'win32' });
  expect(stopped).toEqual({ pid, killed: false });
  // Its own cleanup ran: the lock and what it published are gone, and so is the request.
  expect(existsSync(path.join(home, 'monitor.pid'))).toBe(false);
  expect(existsSync(path.join(home, 'monitor.json'))).toBe(false);
  expect(existsSync(path.join(home, 'signals', 'stop'))).toBe(false);
  const log = readFileSync(path.join(home, 'logs', 'monitor.log'), 'utf8');
  expect(log).toContain('stop requested (signals/stop)');
  expect(log).not.toContain('signal received');
});

it('never signals a lock owner the OS cannot vouch for that does not prove itself over its endpoint', async () => {
  const { home, cleanup } = tempHome();
  undo.push(cleanup);
  // An earlier build's lock: the command line passes for a monitor's, and nothing answers for it.
  const pid = fakeMonitor(home);
  holdLock(home, pid, { ...self }, true);
  expect(readLiveOwner(home)).toMatchObject({ pid, identity: 'unknown' });
  const err = await stopMonitor({ home, timeoutS: 5, waiting: () => () => {} }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UserError);
  expect((err as Error).message).toBe(
    `the monitor lock of ${home} names pid ${pid}, which does not prove it is this home's monitor: it was left alone. If no monitor runs for ${home}, remove ${path.join(home, 'monitor.pid')}`,
  );
  expect(() => process.kill(pid, 0)).not.toThrow();
});

it('drops a lock left to a process that answers on its port without proving itself, and leaves that process alone', async () => {
  const { home, cleanup } = tempHome();
  undo.push(cleanup);
  // A process listening where the dead monitor published its port, its command line a monitor's (an earlier build's
  // lock, which says no start): it answers anything, and proves nothing.
  const child = spawn(
    process.execPath,
    [
      '-e',
      "require('http').createServer((q, s) => s.end('{}')).listen(0, '127.0.0.1', function () { console.log(this.address().port) })",
      'monitor',
      'run',
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  undo.push(() => child.kill('SIGKILL'));
  const port = Number(
    await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(String(d)))),
  );
  const pid = child.pid ?? 0;
  holdLock(home, pid, { ...self, hookPort: port }, true);
  writeFileSync(path.join(home, 'hook-token'), 'a-hook-token-of-this-home');
  expect(readLiveOwner(home)).toMatchObject({ pid, identity: 'unknown' });
  expect(await stopMonitor({ home, timeoutS: 5, waiting: () => () => {} })).toBeUndefined();
  expect(existsSync(path.join(home, 'monitor.pid'))).toBe(false);
  expect(() => process.kill(pid, 0)).not.toThrow();
});

// The watch hears a request's file as it is created, which may be before its line is written: read then, it is empty.
// Removed as unreadable, the line would go to a deleted file and the monitor would never stop.
it('acts on a stop request it first finds half-written, once its line is written', async () => {
  const { home, cleanup } = tempHome();
  undo.push(cleanup);
  const file = path.join(home, 'signals', 'stop');
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // A writer between creating the file and writing its line, as one writing in place can be.
  const fd = openSync(file, 'w', 0o600);
  const stopped = new Promise<void>((resolve) => {
    // It reads the request once on starting, and finds it empty.
    undo.push(watchStopRequests(home, Date.now() - 1000, resolve));
  });
  writeSync(fd, `${Date.now()}\n`);
  closeSync(fd);
  await stopped;
  expect(existsSync(file)).toBe(false);
});
