// The task servers' timings figure: a legend naming both bars, an axis in milliseconds ending on a round number, and
// each server's figures written beside its bars.
import { describe, expect, it } from 'vitest';
import { axisEnd, timings } from '../../src/dashboard/chart.js';
import type { CacheView } from '../../src/dashboard/state.js';

const view = (metrics: CacheView['metrics']): CacheView => ({
  projects: [],
  board: [],
  snapshots: [],
  breakers: [],
  alerts: [],
  metrics,
  told: [],
  agents: new Map(),
  live: new Set(),
});

describe('the timings figure', () => {
  it('ends its axis on 1, 2 or 5 times a power of ten at or above the slowest p95', () => {
    expect([0, 1, 7, 10, 11, 180, 505, 2001].map(axisEnd)).toEqual([1, 1, 10, 10, 20, 200, 1000, 5000]);
  });

  it('has a legend, an axis with its unit, a caption, and each server’s mean and p95 in ms', () => {
    const svg = timings(
      view([
        { server: 'embedded', calls: 17, failures: 0, meanMs: 73.2, p95Ms: 505 },
        { server: 'https://tasks.example/mcp', calls: 3, failures: 1, meanMs: 140, p95Ms: 320.6 },
      ]),
    );
    const texts = [...svg.matchAll(/<text[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(texts).toEqual([
      'mean',
      'p95 (95 % of calls took less)',
      'embedded: 17 calls, 0 failed',
      'mean 73 ms, p95 505 ms',
      'https://tasks.example/mcp: 3 calls, 1 failed',
      'mean 140 ms, p95 321 ms',
      '0 ms',
      '500 ms',
      '1000 ms',
      'time per call, in milliseconds',
    ]);
    // The p95 bar of the slowest server spans half the 300 px axis, which ends at 1000 ms.
    expect(svg).toContain('<rect class="p95" x="0" y="46" width="152" height="6">');
    expect(svg).toMatch(/<figcaption id="chart-caption">[^<]*mean[^<]*p95[^<]*milliseconds/);
    expect(svg).toContain('aria-labelledby="chart-caption"');
  });

  it('says so when no call was recorded', () => {
    expect(timings(view([]))).toBe('<p>No task server calls recorded yet.</p>');
  });
});
