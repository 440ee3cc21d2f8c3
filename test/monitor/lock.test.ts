import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, processSince, readLiveOwner } from '../../src/home/lock.js';
import { bundleFixture } from '../foundation/helpers.js';

let home: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'th-lock-'));
});
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  rmSync(home, { recursive: true, force: true });
});

/** A live process whose command line looks like `… monitor run` (or not). */
function sleeper(args: string[]): number {
  const c = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)', ...args], { stdio: 'ignore' });
  children.push(c);
  return c.pid as number;
}

const lockFile = () => path.join(home, 'monitor.pid');

describe('monitor lock', () => {
  it('is exclusive, records pid, start time and which run of the process took it, and is released', () => {
    const first = acquireLock(home, 1234);
    expect(first.acquired).toBe(true);
    const since = processSince(process.pid);
    expect(since).toMatch(/^[0-9a-f-]{36}\/\d+$/);
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toEqual({ pid: process.pid, startedAt: 1234, since });
    expect(readLiveOwner(home)).toEqual({ pid: process.pid, startedAt: 1234, since, identity: 'monitor' });
    if (first.acquired) first.release();
    expect(existsSync(lockFile())).toBe(false);
  });

  it('reports a live monitor and leaves its lock alone', () => {
    const pid = sleeper(['monitor', 'run']);
    writeFileSync(lockFile(), JSON.stringify({ pid, startedAt: 5 }));
    const r = acquireLock(home);
    expect(r).toEqual({ acquired: false, owner: { pid, startedAt: 5 } });
    expect(readLiveOwner(home)?.pid).toBe(pid);
    expect(JSON.parse(readFileSync(lockFile(), 'utf8')).pid).toBe(pid);
  });

  it('takes over the lock of a dead process', () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(lockFile(), JSON.stringify({ pid: Number(dead.stdout), startedAt: 1 }));
    expect(readLiveOwner(home)).toBeUndefined();
    const r = acquireLock(home);
    expect(r.acquired).toBe(true);
    expect(JSON.parse(readFileSync(lockFile(), 'utf8')).pid).toBe(process.pid);
  });

  it('takes over the lock of a monitor killed but not yet reaped by its parent', async () => {
    // Its shell execs a sleep that never waits for the background one, which then stays a zombie once it ends. It
    // ends a second later: one ending before the exec could be reaped by the shell itself on a loaded machine.
    const c = spawn('sh', ['-c', 'sleep 1 & echo $!; exec sleep 20'], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(c);
    const pid = Number(await new Promise<string>((resolve) => c.stdout?.once('data', (b: Buffer) => resolve(`${b}`))));
    const state = () => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    await expect.poll(state, { timeout: 10_000 }).toBe('Z');
    writeFileSync(lockFile(), JSON.stringify({ pid, startedAt: Date.now(), since: processSince(pid) }));
    expect(readLiveOwner(home)).toBeUndefined();
    expect(acquireLock(home).acquired).toBe(true);
  });

  it('takes over a lock whose pid now belongs to some other program', () => {
    writeFileSync(lockFile(), JSON.stringify({ pid: sleeper(['something-else']), startedAt: 1 }));
    expect(acquireLock(home).acquired).toBe(true);
  });

  it('takes over a lock whose pid a later process holds, whatever its command line says', () => {
    // The monitor that wrote it died unannounced (kill -9, power loss); the pid went to `npm start`, or even to a
    // process whose command line reads as a monitor's.
    for (const args of [['start'], ['monitor', 'run']]) {
      const pid = sleeper(args);
      writeFileSync(lockFile(), JSON.stringify({ pid, startedAt: 1, since: `${processSince(pid)}0` }));
      expect(readLiveOwner(home), args.join(' ')).toBeUndefined();
      const taken = acquireLock(home);
      expect(taken.acquired, args.join(' ')).toBe(true);
      if (taken.acquired) taken.release();
    }
  });

  it('trusts a lock of an earlier build only while its pid runs a monitor, and then never for certain', () => {
    // `npm start` is not `taskhooks start`.
    writeFileSync(lockFile(), JSON.stringify({ pid: sleeper(['start']), startedAt: 1 }));
    expect(readLiveOwner(home)).toBeUndefined();
    const pid = sleeper(['monitor', 'run']);
    writeFileSync(lockFile(), JSON.stringify({ pid, startedAt: 1 }));
    expect(readLiveOwner(home)).toMatchObject({ pid, identity: 'unknown' });
  });

  it('takes over a lock file holding garbage once it is not fresh', () => {
    writeFileSync(lockFile(), 'not json');
    expect(acquireLock(home, Date.now() + 5000).acquired).toBe(true);
  });

  it("leaves a dead monitor's lock to the process taking it over, and takes it once that one died in it", () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const left = JSON.stringify({ pid: Number(dead.stdout), startedAt: 1 });
    writeFileSync(lockFile(), left);
    const takeover = `${lockFile()}.takeover`;
    writeFileSync(takeover, JSON.stringify({ pid: process.pid }));
    expect(acquireLock(home).acquired).toBe(false);
    expect(readFileSync(lockFile(), 'utf8')).toBe(left);
    utimesSync(takeover, new Date(Date.now() - 10_000), new Date(Date.now() - 10_000));
    expect(acquireLock(home).acquired).toBe(true);
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: process.pid });
    expect(existsSync(takeover)).toBe(false);
  });

  // Monitors started at once after a crash each find the dead one's lock: one of them takes it over, however the
  // removals and creations of the others interleave with its own.
  it("is taken over by one of many processes finding a dead monitor's lock at once", async () => {
    const taker = await bundleFixture(path.join(import.meta.dirname, '../foundation/fixtures/lock-taker.ts'));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(lockFile(), JSON.stringify({ pid: Number(dead.stdout), startedAt: 1 }));
    // Each waits for the same moment, takes the lock or not, and holds what it took until all have tried, however
    // late a busy machine starts some of them.
    const goAt = String(Date.now() + 1500);
    const takers = Array.from({ length: 8 }, () => {
      const c = spawn(process.execPath, [taker, home, goAt], { stdio: ['pipe', 'pipe', 'inherit'] });
      children.push(c);
      const tried = new Promise<string>((resolve) => {
        c.stdout?.once('data', (b: Buffer) => resolve(b.toString()));
        c.once('close', () => resolve('(ended before trying)'));
      });
      return { c, tried };
    });
    try {
      const taken = await Promise.all(takers.map((t) => t.tried));
      for (const { c } of takers) c.stdin?.end();
      await Promise.all(
        takers.map(({ c }) => (c.exitCode === null && c.signalCode === null ? once(c, 'close') : null)),
      );
      expect(taken.filter((t) => t === 'true')).toHaveLength(1);
      expect(taken.filter((t) => t === 'false')).toHaveLength(7);
    } finally {
      rmSync(taker, { force: true });
    }
  });
});
