// One hook claims the monitor's start after a reboot or a crash; the others see the claim while its process runs.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { homeFiles } from '../../src/home/files.js';
import { processSince } from '../../src/home/lock.js';
import { claimStart, startClaimedElsewhere } from '../../src/home/monitor-starter.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

/** Another live process, `sleep`: its pid and how it started, and a way to see it gone (exited, reaped). */
function otherProcess(): { pid: number; since: string | undefined; gone(): Promise<void> } {
  const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
  cleanups.push(() => void sleeper.kill('SIGKILL'));
  const pid = sleeper.pid ?? 0;
  const exited = once(sleeper, 'exit');
  return {
    pid,
    since: processSince(pid),
    gone: async () => {
      sleeper.kill('SIGKILL');
      await exited;
    },
  };
}

function home(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-starter-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("the monitor's start claim", () => {
  it("is this process's when nobody holds it, and then nobody else's", () => {
    const dir = home();
    expect(startClaimedElsewhere(dir)).toBe(false);
    expect(claimStart(dir)).toBe(true);
    expect(JSON.parse(readFileSync(homeFiles(dir).starter, 'utf8'))).toMatchObject({ pid: process.pid });
    // This process's own claim is not another's.
    expect(startClaimedElsewhere(dir)).toBe(false);
  });

  it("takes the socket client's mark with it, and leaves another's claim and its mark alone", () => {
    const dir = home();
    const mark = homeFiles(dir).starterMark;
    mkdirSync(mark);
    expect(claimStart(dir)).toBe(true);
    expect(existsSync(mark)).toBe(false);
    const other = otherProcess();
    const held = home();
    writeFileSync(homeFiles(held).starter, JSON.stringify({ pid: other.pid, since: other.since, at: Date.now() }));
    mkdirSync(homeFiles(held).starterMark);
    expect(claimStart(held)).toBe(false);
    expect(existsSync(homeFiles(held).starterMark)).toBe(true);
  });

  it("is another's while that process runs, and free once it is gone", async () => {
    const dir = home();
    const other = otherProcess();
    writeFileSync(homeFiles(dir).starter, JSON.stringify({ pid: other.pid, since: other.since }));
    expect(startClaimedElsewhere(dir)).toBe(true);
    expect(claimStart(dir)).toBe(false);
    await other.gone();
    expect(startClaimedElsewhere(dir)).toBe(false);
    expect(claimStart(dir)).toBe(true);
  });

  it('holds a few seconds after it was made, its claimant gone: the monitor it started is still loading', async () => {
    const dir = home();
    const other = otherProcess();
    await other.gone();
    const claim = { pid: other.pid, since: other.since };
    writeFileSync(homeFiles(dir).starter, JSON.stringify({ ...claim, at: Date.now() }));
    expect(startClaimedElsewhere(dir)).toBe(true);
    writeFileSync(homeFiles(dir).starter, JSON.stringify({ ...claim, at: Date.now() - 60_000 }));
    expect(startClaimedElsewhere(dir)).toBe(false);
  });

  it("a claim not yet written is its claimant's for a moment; a foreign one is nobody's", () => {
    const dir = home();
    // Created, not yet written: another hook is between the two steps of its claim.
    writeFileSync(homeFiles(dir).starter, '');
    expect(startClaimedElsewhere(dir)).toBe(true);
    expect(claimStart(dir)).toBe(false);
    writeFileSync(homeFiles(dir).starter, '{"pid":');
    expect(startClaimedElsewhere(dir)).toBe(false);
    expect(claimStart(dir)).toBe(true);
  });

  it('a lapsed claim is taken by the process making the takeover, not by one finding it made', async () => {
    const dir = home();
    const other = otherProcess();
    await other.gone();
    const lapsed = JSON.stringify({ pid: other.pid, since: other.since, at: Date.now() - 60_000 });
    writeFileSync(homeFiles(dir).starter, lapsed);
    // Another waiter is taking it over this moment.
    const takeover = `${homeFiles(dir).starter}.takeover`;
    writeFileSync(takeover, JSON.stringify({ pid: other.pid }));
    expect(claimStart(dir)).toBe(false);
    expect(readFileSync(homeFiles(dir).starter, 'utf8')).toBe(lapsed);
    // One left by a process that died in it, seconds ago, is removed.
    utimesSync(takeover, new Date(Date.now() - 10_000), new Date(Date.now() - 10_000));
    expect(claimStart(dir)).toBe(true);
    expect(JSON.parse(readFileSync(homeFiles(dir).starter, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(existsSync(takeover)).toBe(false);
  });
});
