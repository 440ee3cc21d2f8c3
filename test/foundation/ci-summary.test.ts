// CI's closing lines: each tier's counts and wall time, and the files that took longest, read from vitest's JSON report.
import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain .mjs script, run as it is by .ci/run
import { closingLines, duration } from '../../scripts/ci-summary.mjs';

const file = (name: string, startTime: number, endTime: number) => ({
  name: `${process.cwd()}/test/${name}`,
  startTime,
  endTime,
  assertionResults: [],
});

/** A report as vitest's JSON reporter writes it, started at 1 s, with `counts` and `files`. */
const report = (counts: Record<string, number>, files: ReturnType<typeof file>[]) => ({
  startTime: 1_000,
  numPassedTests: 0,
  numFailedTests: 0,
  numPendingTests: 0,
  numTodoTests: 0,
  ...counts,
  testResults: files,
});

describe('ci-summary', () => {
  it("says a tier's wall time, from the run's start to its last file's end, and its five slowest files", () => {
    const run = report({ numPassedTests: 9, numFailedTests: 1, numPendingTests: 2 }, [
      file('a.test.ts', 2_000, 12_000),
      file('b.test.ts', 2_000, 500_000),
      file('c.test.ts', 3_000, 4_000),
      file('d.test.ts', 3_000, 64_000),
      file('e.test.ts', 3_000, 33_000),
      file('f.test.ts', 5_000, 7_500),
    ]);
    expect(closingLines('unit', run)).toEqual([
      'unit: 9 passed, 1 failed, 2 skipped in 8m 19s',
      'unit slowest: test/b.test.ts 8m 18s, test/d.test.ts 1m 01s, test/e.test.ts 30s, test/a.test.ts 10s, test/f.test.ts 3s',
    ]);
  });

  it('names no slowest file where no file ran', () => {
    expect(closingLines('e2e', report({}, []))).toEqual(['e2e: 0 passed, 0 failed, 0 skipped in 0s']);
    expect(duration(59_499)).toBe('59s');
    expect(duration(60_000)).toBe('1m 00s');
  });
});
