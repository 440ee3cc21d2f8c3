import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
    // A failed toContain shows what it was given, not its first 40 characters: CI's report is all a failure leaves.
    chaiConfig: { truncateThreshold: 800 },
    // A browser waiting on the monitor and the store: 1 s, vitest's default, is too short on a loaded 2-core machine.
    expect: { poll: { timeout: 20_000, interval: 100 } },
    globalSetup: ['test/global-setup.ts'],
  },
});
