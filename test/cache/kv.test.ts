import { describe, expect, it } from 'vitest';
import { cacheStats, cleanupExpired, clearAll, kvDelete, kvGet, kvSet } from '../../src/cache/kv.js';
import { writeSnapshot } from '../../src/cache/snapshots.js';
import { readToken, writeToken } from '../../src/cache/tokens.js';
import { readInjection, writeInjection } from '../../src/told/table.js';
import { listProjects, registerProject } from '../../src/cache/registered-projects.js';
import { listMetrics, recordCall } from '../../src/cache/metrics.js';
import { snapshotCount, T0 } from '../helpers/cache.js';

import { cacheEachTest } from '../helpers/cache.js';

const { open } = cacheEachTest();

describe('key/value entries with a TTL', () => {
  it('set, get, overwrite, delete and clear custom keys holding any JSON value', () => {
    const s = open();
    kvSet(s, 'a', { nested: [1, 'two', null] });
    kvSet(s, 'b', 'text');
    kvSet(s, 'c', 42);
    expect(kvGet(s, 'a')).toEqual({ nested: [1, 'two', null] });
    expect(kvGet(s, 'b')).toBe('text');
    kvSet(s, 'b', false);
    expect(kvGet(s, 'b')).toBe(false);
    expect(kvGet(s, 'missing')).toBeUndefined();
    expect(kvDelete(s, 'a')).toBe(true);
    expect(kvDelete(s, 'a')).toBe(false);
    expect(kvGet(s, 'a')).toBeUndefined();
    expect(cacheStats(s).entries).toBe(2);
  });

  it('expires entries at their TTL (injected clock), and a new set revives them', () => {
    const s = open();
    kvSet(s, 'k', 'v', 60, T0);
    expect(kvGet(s, 'k', T0)).toBe('v');
    expect(kvGet(s, 'k', T0 + 59_999)).toBe('v');
    expect(kvGet(s, 'k', T0 + 60_000)).toBeUndefined();
    kvSet(s, 'k', 'v2', 60, T0 + 60_000);
    expect(kvGet(s, 'k', T0 + 60_001)).toBe('v2');
    kvSet(s, 'forever', 1, undefined, T0);
    expect(kvGet(s, 'forever', T0 + 10 * 365 * 86_400_000)).toBe(1);
  });

  it('stats count valid and expired entries and the bytes on disk; cleanupExpired returns how many went', () => {
    const s = open();
    for (let i = 0; i < 5; i++) kvSet(s, `short-${i}`, i, 10, T0);
    for (let i = 0; i < 3; i++) kvSet(s, `long-${i}`, i, 1000, T0);
    kvSet(s, 'forever', 'x', undefined, T0);
    expect(cacheStats(s, T0)).toMatchObject({ entries: 9, valid: 9, expired: 0 });
    const later = T0 + 11_000;
    const st = cacheStats(s, later);
    expect(st).toMatchObject({ entries: 9, valid: 4, expired: 5 });
    expect(st.bytes).toBeGreaterThan(4096);
    expect(cleanupExpired(s, later)).toBe(5);
    expect(cleanupExpired(s, later)).toBe(0);
    expect(cacheStats(s, later)).toMatchObject({ entries: 4, valid: 4, expired: 0 });
    expect(cleanupExpired(s, T0 + 2_000_000)).toBe(3);
    expect(kvGet(s, 'forever', T0 + 2_000_000)).toBe('x');
  });

  it('clearAll empties every cache table but keeps registered projects', () => {
    const s = open();
    kvSet(s, 'k', 1);
    s.write(() =>
      writeSnapshot(s, {
        sourceKey: 'k',
        project: 'p',
        branch: 'main',
        fetchedAt: T0,
        source: 'k',
        tasks: [],
        next: null,
      }),
    );
    writeToken(s, { issuer: 'i', clientId: 'c', accessToken: 'a', tokenType: 'Bearer', expiresAt: T0 });
    writeInjection(s, 'sess', 'k', 'v');
    recordCall(s, 'srv', 5, null);
    registerProject(s, { root: '/p', name: 'p', sourceKey: 'sk', registeredBy: 'test' });
    clearAll(s);
    expect(cacheStats(s).entries).toBe(0);
    expect(snapshotCount(s)).toBe(0);
    expect(readToken(s, 'i', 'c')).toBeUndefined();
    expect(readInjection(s, 'sess', 'k')).toBeUndefined();
    expect(listMetrics(s)).toEqual([]);
    expect(listProjects(s)).toHaveLength(1);
  });
});
