// The fetch lease: one fetch for many sessions; the sessions themselves, started at once, are in
// test/e2e/herd.test.ts (a suite that runs alone on the machine).
import { expect, it } from 'vitest';
import { fetchLeaseHeld, releaseFetchLease, takeFetchLease } from '../../src/cache/leases.js';
import { cacheEachTest } from '../helpers/cache.js';

const { open } = cacheEachTest();
const key = { sourceKey: 'embedded', project: 'demo', branch: 'main' };

it('one holder at a time; an expired lease is free; only the holder releases it', () => {
  const s = open();
  expect(takeFetchLease(s, key, 'a', 5000, 1000)).toBe(true);
  expect(takeFetchLease(s, key, 'b', 5000, 1000)).toBe(false);
  expect(fetchLeaseHeld(s, key, 1000)).toBe(true);
  releaseFetchLease(s, key, 'b');
  expect(fetchLeaseHeld(s, key, 1000)).toBe(true);
  expect(takeFetchLease(s, key, 'b', 9000, 6000)).toBe(true); // a's lease expired at 5000
  releaseFetchLease(s, key, 'b');
  expect(fetchLeaseHeld(s, key, 6000)).toBe(false);
});
