// When the plugin's bridge waits for a monitor instead of serving its session itself: while one is starting (its lock
// held, its ports not yet published without the socket), or briefly while hooks may still start one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { awaitMonitor, keepsWaiting, START_GRACE_MS } from '../../src/cli/bridge-wait.js';
import { homeFiles } from '../../src/home/files.js';
import { acquireLock, processSince } from '../../src/home/lock.js';
import { MONITOR_START_WAIT_MS } from '../../src/home/monitor-info.js';

const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

function home(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-bridge-wait-'));
  homes.push(dir);
  return dir;
}

/** This process as the home's monitor, as far as the lock and monitor.json say. */
function monitorHere(dir: string, info?: { mcpSocket?: string }): void {
  const lock = acquireLock(dir);
  expect(lock.acquired).toBe(true);
  if (info) writeFileSync(homeFiles(dir).info, JSON.stringify({ pid: process.pid, hookPort: 1, ...info }));
}

describe("the bridge's wait for a starting monitor", () => {
  it('waits briefly where no monitor runs and hooks may start one, and not at all where they may not', () => {
    const dir = home();
    expect(keepsWaiting(dir, 0, true)).toBe(true);
    expect(keepsWaiting(dir, START_GRACE_MS - 1, true)).toBe(true);
    expect(keepsWaiting(dir, START_GRACE_MS, true)).toBe(false);
    expect(keepsWaiting(dir, 0, false)).toBe(false);
  });

  it('a crashed monitor (its lock names a dead process) is no reason to wait past the grace', () => {
    const dir = home();
    writeFileSync(homeFiles(dir).lock, JSON.stringify({ pid: 2 ** 22 + 1, startedAt: Date.now() }));
    expect(keepsWaiting(dir, START_GRACE_MS, true)).toBe(false);
  });

  it('waits past the grace while the hook that claimed the start runs, up to the bound; a dead claim is no reason', () => {
    const dir = home();
    // The claimant is another live process (this worker's parent); its claim is older than the few seconds it holds alone.
    const claim = { pid: process.ppid, since: processSince(process.ppid), at: Date.now() - 60_000 };
    writeFileSync(homeFiles(dir).starter, JSON.stringify(claim));
    expect(keepsWaiting(dir, START_GRACE_MS, false)).toBe(true);
    expect(keepsWaiting(dir, MONITOR_START_WAIT_MS, true)).toBe(false);

    writeFileSync(homeFiles(dir).starter, JSON.stringify({ ...claim, pid: 2 ** 22 + 1 }));
    expect(keepsWaiting(dir, START_GRACE_MS, true)).toBe(false);
  });

  it('waits for a monitor holding its lock until it says where it serves, up to a bound', () => {
    const starting = home();
    monitorHere(starting);
    // Hooks may not start one, but this one is starting: worth the wait, up to its bound.
    expect(keepsWaiting(starting, START_GRACE_MS, false)).toBe(true);
    expect(keepsWaiting(starting, MONITOR_START_WAIT_MS, false)).toBe(false);

    // One that said where it serves is not waited for: it listened on the socket first, or never will.
    for (const info of [{ mcpSocket: path.join(starting, 'mcp.sock') }, {}]) {
      const published = home();
      monitorHere(published, info);
      expect(keepsWaiting(published, 0, true)).toBe(false);
    }
  });

  it('joins a monitor that listened and said so while its look failed, and serves where none came', async () => {
    const dir = home();
    monitorHere(dir);
    let looks = 0;
    const joined = await awaitMonitor(
      dir,
      async () => {
        looks++;
        if (looks > 1) return 'socket';
        // The starting monitor listens and says where it serves just after this look failed.
        const info = { pid: process.pid, hookPort: 1, mcpSocket: path.join(dir, 'mcp.sock') };
        writeFileSync(homeFiles(dir).info, JSON.stringify(info));
        return new Error('ECONNREFUSED');
      },
      { began: Date.now(), autostart: false },
    );
    expect(joined).toBe('socket');
    expect(looks).toBe(2);

    const none = await awaitMonitor(home(), async () => new Error('ENOENT'), { began: Date.now(), autostart: false });
    expect(none).toBeUndefined();
  });
});
