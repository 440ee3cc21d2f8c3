// Random waits: full-jitter backoff stays under its cap and spreads; a schedule's delay stays within half its gap.
import { describe, expect, test } from 'vitest';
import { fullJitterMs, scheduleJitterMs } from '../../src/util/jitter.js';

describe('jitter', () => {
  test('full jitter: uniform below min(cap, base·2^attempt)', () => {
    expect(fullJitterMs(0, 500, 30_000, () => 0.999)).toBe(499);
    expect(fullJitterMs(3, 500, 30_000, () => 0.5)).toBe(2000);
    expect(fullJitterMs(20, 500, 30_000, () => 0.999)).toBe(29_970);
    expect(fullJitterMs(5, 500, 30_000, () => 0)).toBe(0);
    const spread = new Set(Array.from({ length: 100 }, () => Math.floor(fullJitterMs(10, 500, 30_000) / 1000)));
    expect(spread.size).toBeGreaterThan(10);
  });

  test('schedule jitter: at most half the gap, at most the cap', () => {
    expect(scheduleJitterMs(120_000, 60_000, () => 0.999)).toBe(59_940);
    expect(scheduleJitterMs(1000, 60_000, () => 0.999)).toBe(499);
    expect(scheduleJitterMs(-5, 60_000, () => 0.5)).toBe(0);
  });
});
