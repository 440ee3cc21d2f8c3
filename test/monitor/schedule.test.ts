// The monitor's own reader of node-cron expressions, checked against node-cron itself, and the timer that runs a job.
import cron from 'node-cron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextRunAfter, scheduleJob } from '../../src/monitor/refresh/schedule.js';
import { silentLogger } from '../helpers/cache.js';

/** node-cron's next run after the current second, the moment `nextRunAfter` is asked about. */
function nodeCronNext(expression: string): { after: number; next: number | undefined } {
  for (;;) {
    const after = Date.now();
    const task = cron.createTask(expression, () => undefined);
    const [next] = task.getNextRuns(1);
    void task.destroy();
    // Asked within one second on both sides: a boundary crossed in between would compare two different "nows".
    if (Math.floor(Date.now() / 1000) === Math.floor(after / 1000)) return { after, next: next?.getTime() };
  }
}

describe('nextRunAfter', () => {
  it.each([
    '*/2 * * * *',
    '*/10 * * * *',
    '41 */4 * * *',
    '*/10 * * * * *',
    '0 0 1 1 *',
    '0 9 * * mon-fri',
    '15,45 8-18/2 * jan,jul 1-5',
    '0 0 * * 7',
    '30 2 29 2 *',
    '0 12 * * sunday',
  ])('agrees with node-cron on %s', (expression) => {
    const { after, next } = nodeCronNext(expression);
    expect(next).toBeDefined();
    expect(nextRunAfter(expression, after)).toBe(next);
  });

  it('hands an expression it does not read to node-cron, and answers undefined for one neither reads', () => {
    const { after, next } = nodeCronNext('0 0 L * *');
    expect(nextRunAfter('0 0 L * *', after)).toBe(next);
    expect(nextRunAfter('every minute', Date.now())).toBeUndefined();
    expect(nextRunAfter('61 * * * *', Date.now())).toBeUndefined();
    expect(nextRunAfter('5/20 * * * *', Date.now())).toBeUndefined();
  });
});

describe('scheduleJob', () => {
  // On a clock of the test's own: the firings are a second apart, and what is shown is which of them run.
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1, 12, 0, 0, 400) });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the job when the expression fires, skips a firing while the last run goes on, and stops', async () => {
    let runs = 0;
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    const schedule = scheduleJob(
      '* * * * * *',
      async () => {
        runs++;
        if (runs === 1) await blocked;
      },
      { name: 'test', log: silentLogger() },
    );
    const first = schedule.nextRun()?.getTime() ?? 0;
    expect(first % 1000).toBe(0);
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(first - Date.now());
    expect(runs).toBe(1);
    // Two firings come and go while the first run is blocked: neither starts a second run.
    await vi.advanceTimersByTimeAsync(2000);
    expect(schedule.nextRun()?.getTime()).toBe(first + 3000);
    expect(runs).toBe(1);
    release();
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(2);
    await schedule.stop();
    expect(schedule.nextRun()).toBeNull();
    await vi.advanceTimersByTimeAsync(1500);
    expect(runs).toBe(2);
  });
});
