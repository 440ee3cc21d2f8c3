import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

const testDir = path.join(import.meta.dirname, 'test');

/**
 * Every test file that mocks a module (vi.mock): found, not listed, since a mock in a worker whose modules are shared
 * applies or not by the order files ran in. Beside them, the file that measures the heap.
 */
const mocking = readdirSync(testDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.ts') && !f.startsWith(`e2e${path.sep}`))
  .filter((f) => readFileSync(path.join(testDir, f), 'utf8').includes('vi.mock('))
  .map((f) => `test/${f.split(path.sep).join('/')}`);

/**
 * Files that mock a module or measure the heap need a module graph and a heap of their own; every other file shares
 * its worker's modules instead of loading the source again (an eighth of the run's time), and leaves the environment
 * and working directory as it found them (test/helpers/file-state.ts).
 */
const OWN_PROCESS = [...mocking, 'test/monitor/memory.test.ts'];

/** What both projects take from here; the global setup runs once, for the whole run. */
const timeouts = { testTimeout: 60_000, hookTimeout: 60_000 };
/** A failed toContain shows what it was given, not its first 40 characters: CI's report is all a failure leaves. */
const chaiConfig = { truncateThreshold: 800 };

export default defineConfig({
  test: {
    ...timeouts,
    chaiConfig,
    // Most of a file's time is spent waiting on the processes and servers it starts, so four files at once keep two
    // cores busy; a file's own waits are on state, never on the clock, so they hold under that load.
    maxWorkers: 4,
    // Each worker compiled every source it loads, on every run (32 s of the workers' time in a whole run on two
    // cores). Kept in node_modules/.experimental-vitest-cache, keyed by each file's content, a file compiles once.
    experimental: { fsModuleCache: true },
    globalSetup: ['test/global-setup.ts'],
    projects: [
      {
        test: {
          ...timeouts,
          chaiConfig,
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'node_modules/**', ...OWN_PROCESS],
          isolate: false,
          setupFiles: ['test/helpers/file-state.ts'],
        },
      },
      { test: { ...timeouts, chaiConfig, name: 'isolated', include: OWN_PROCESS, isolate: true } },
    ],
  },
});
