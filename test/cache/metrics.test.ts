import { expect, it } from 'vitest';
import { listMetrics, recordCall } from '../../src/cache/metrics.js';
import { metricsOf, T0 } from '../helpers/cache.js';

import { cacheEachTest } from '../helpers/cache.js';

const { open } = cacheEachTest();
it('metrics: calls, failures, mean and p95 latency', () => {
  const s = open();
  for (let i = 1; i <= 20; i++) recordCall(s, 'srv', i * 10, null, T0 + i);
  recordCall(s, 'srv', 1000, 'timeout', T0 + 100);
  const m = metricsOf(s, 'srv');
  expect(m).toMatchObject({
    server: 'srv',
    calls: 21,
    failures: 1,
    lastError: 'timeout',
    lastErrorAt: T0 + 100,
    lastSuccessAt: T0 + 20,
  });
  expect(m?.meanMs).toBeCloseTo((2100 + 1000) / 21);
  expect(m?.p95Ms).toBe(200);
  expect(metricsOf(s, 'none')).toBeUndefined();
  expect(listMetrics(s).map((x) => x.server)).toEqual(['srv']);
});
