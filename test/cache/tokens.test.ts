import { expect, it } from 'vitest';
import { deleteToken, readToken, writeToken } from '../../src/cache/tokens.js';

import { cacheEachTest, T0 } from '../helpers/cache.js';

const { open } = cacheEachTest();
it('OAuth tokens per issuer and client', () => {
  const s = open();
  writeToken(s, {
    issuer: 'http://idp',
    clientId: 'c1',
    accessToken: 'at-1',
    tokenType: 'Bearer',
    expiresAt: T0,
    scope: 'tasks',
  });
  writeToken(s, { issuer: 'http://idp', clientId: 'c2', accessToken: 'at-2', tokenType: 'Bearer', expiresAt: T0 });
  writeToken(s, {
    issuer: 'http://idp',
    clientId: 'c1',
    accessToken: 'at-3',
    tokenType: 'Bearer',
    expiresAt: T0 + 1,
  });
  expect(readToken(s, 'http://idp', 'c1')).toEqual({
    issuer: 'http://idp',
    clientId: 'c1',
    accessToken: 'at-3',
    tokenType: 'Bearer',
    expiresAt: T0 + 1,
  });
  expect(readToken(s, 'http://idp', 'c2')?.accessToken).toBe('at-2');
  deleteToken(s, 'http://idp', 'c2');
  expect(readToken(s, 'http://idp', 'c2')).toBeUndefined();
});
