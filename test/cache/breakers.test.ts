import { expect, it } from 'vitest';
import { listBreakers, readBreaker, writeBreaker } from '../../src/cache/breakers.js';

import { cacheEachTest, T0 } from '../helpers/cache.js';

const { open } = cacheEachTest();
it('breakers: closed by default, shared state round-trips', () => {
  const s = open();
  expect(readBreaker(s, 'http://a/mcp')).toEqual({ server: 'http://a/mcp', state: 'closed', failures: 0 });
  s.write(() =>
    writeBreaker(s, {
      server: 'http://a/mcp',
      state: 'open',
      failures: 3,
      openedAt: T0,
      lastError: 'refused',
      lastErrorAt: T0,
    }),
  );
  s.write(() => writeBreaker(s, { server: 'http://b/mcp', state: 'half_open', failures: 1 }));
  expect(readBreaker(s, 'http://a/mcp')).toEqual({
    server: 'http://a/mcp',
    state: 'open',
    failures: 3,
    openedAt: T0,
    lastError: 'refused',
    lastErrorAt: T0,
  });
  expect(listBreakers(s).map((b) => b.state)).toEqual(['open', 'half_open']);
});
