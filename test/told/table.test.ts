import { expect, it } from 'vitest';
import { readInjection, writeInjection } from '../../src/told/table.js';

import { cacheEachTest, T0 } from '../helpers/cache.js';

const { open } = cacheEachTest();

it('session injections: the last value per session and key', () => {
  const s = open();
  writeInjection(s, 's1', 'reminder', 'T-1', T0);
  writeInjection(s, 's2', 'reminder', 'T-2', T0 + 10_000);
  writeInjection(s, 's1', 'reminder', 'T-3', T0);
  expect(readInjection(s, 's1', 'reminder')).toBe('T-3');
  expect(readInjection(s, 's2', 'reminder')).toBe('T-2');
});
