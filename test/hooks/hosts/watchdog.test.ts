// The watchdog both hook hosts hold a run to: re-armed as the settings give the run its real time, cleared when it ends.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchdog } from '../../../src/hooks/hosts/watchdog.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('watchdog', () => {
  it('fires once, after the time it was last armed with, and says which', () => {
    const fired: number[] = [];
    const dog = watchdog((ms) => fired.push(ms));
    dog.arm(1000);
    vi.advanceTimersByTime(600);
    dog.arm(300);
    vi.advanceTimersByTime(299);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([300]);
    vi.advanceTimersByTime(5000);
    expect(fired).toEqual([300]);
  });

  it('never fires once cleared', () => {
    const fired: number[] = [];
    const dog = watchdog((ms) => fired.push(ms));
    dog.arm(100);
    dog.clear();
    vi.advanceTimersByTime(1000);
    expect(fired).toEqual([]);
  });
});
