// An idle monitor is idle: the built CLI as the monitor, with a registered repository (so git watchers run) and the
// store server it hosts, probed for timer callbacks while nothing happens. CPU time itself is the bench's to measure
// (bench/monitor-idle.bench.mjs): a test cannot assert a time, but it can say which timer woke a process that had
// nothing to do, and from where.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listProjects } from '../../src/cache/registered-projects.js';
import { hookEnv, runHook, sessionStartInput, withHomeCache } from '../helpers/hooks.js';
import { makeRepoFor } from './fixtures.js';
import { CLI, perTest, waitFor } from './helpers.js';

const PROBE = path.join(import.meta.dirname, 'fixtures', 'timer-probe.cjs');
/** Long enough that anything on a period of a few seconds fires twice in it. */
const WINDOW_MS = 8000;
/** A second with no new timer: the work the session gave the monitor is over. */
const SETTLE_MS = 1000;

/** One timer that fired in the window: where it was created, how often it fired, and whether it was created in it. */
interface Fired {
  site: string;
  count: number;
  createdInWindow: boolean;
}

const t = perTest();

describe('an idle monitor (real process)', () => {
  it('wakes for no timer in a quiet window but the last of the ones its work left behind', async () => {
    const m = t.home({ monitor: { taskSchedule: '0 0 1 1 *', gitSchedule: '0 0 1 1 *' } });
    const home = m.home;
    const probeFile = path.join(home, 'timers.json');
    const child = spawn(process.execPath, ['--require', PROBE, CLI, 'monitor', 'run'], {
      env: { ...hookEnv(home), TIMER_PROBE_FILE: probeFile },
      cwd: home,
      stdio: 'ignore',
    });
    if (child.pid) m.pids.add(child.pid);
    await waitFor('the monitor to come up', () => m?.info()?.pid === child.pid);
    const repo = makeRepoFor('shop');
    t.undo(repo.cleanup);
    // A session registers the repository: git watchers, a fetch from the store server over loopback HTTP.
    expect((await runHook('session-start', sessionStartInput(repo.dir), { home, cwd: repo.dir })).code).toBe(0);
    await waitFor('the monitor to follow the project', () =>
      withHomeCache(home, (s) => listProjects(s)[0]?.lastOutcome === 'ok'),
    );

    const dump = async (): Promise<{ fired: Fired[]; intervals: Array<{ site: string; repeatMs: number }> }> => {
      const { rmSync } = await import('node:fs');
      rmSync(probeFile, { force: true });
      process.kill(child.pid as number, 'SIGUSR2');
      await waitFor(
        'the probe to answer',
        () => existsSync(probeFile) && readFileSync(probeFile, 'utf8').length > 0,
        5000,
      );
      return JSON.parse(readFileSync(probeFile, 'utf8')) as {
        fired: Fired[];
        intervals: Array<{ site: string; repeatMs: number }>;
      };
    };
    // The session's work ends on its own schedule: git's read of the new project runs beside the fetch and may finish
    // later on a busy machine. The window opens after one second in which no new timer was made (a timer on a
    // shorter period never lets it open, so it still fails the test).
    const settleBy = Date.now() + 30_000;
    await dump();
    for (;;) {
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      if (!(await dump()).fired.some((f) => f.createdInWindow)) break;
      if (Date.now() > settleBy) throw new Error('the monitor kept making timers for 30 s after the session');
    }
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const { fired, intervals } = await dump();
    // Node's HTTP servers sweep their connections on an interval: coarsened to minutes for the loopback servers here.
    expect(intervals.filter((i) => i.repeatMs < 60_000)).toEqual([]);
    // Keep-alive sockets and the fetch's deadline wind down on their own: each fires once, and was armed before the
    // window. An interval or a timer that renews itself fires twice; a chain of timeouts creates new ones as it goes.
    expect(fired.filter((f) => f.count > 1 || f.createdInWindow)).toEqual([]);
  }, 60_000);
});
