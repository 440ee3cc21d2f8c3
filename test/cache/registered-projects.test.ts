import { describe, expect, it } from 'vitest';
import {
  dropStaleProjects,
  listProjects,
  recordRefresh,
  registerProject,
} from '../../src/cache/registered-projects.js';

import { cacheEachTest, T0 } from '../helpers/cache.js';

const { open } = cacheEachTest();

describe('projects', () => {
  it('projects: register, refresh outcome, drop stale', () => {
    const s = open();
    registerProject(s, { root: '/a', name: 'a', sourceKey: 'k', registeredBy: 'install' }, T0);
    registerProject(s, { root: '/b', name: 'b', sourceKey: 'k', registeredBy: 'session-start' }, T0 + 20 * 86_400_000);
    s.write(() => recordRefresh(s, '/b', 'error', 'timeout', T0 + 1));
    expect(listProjects(s)).toEqual([
      { root: '/a', name: 'a', sourceKey: 'k', lastSeen: T0, registeredBy: 'install' },
      {
        root: '/b',
        name: 'b',
        sourceKey: 'k',
        lastSeen: T0 + 20 * 86_400_000,
        registeredBy: 'session-start',
        lastRefreshAt: T0 + 1,
        lastOutcome: 'error',
        lastError: 'timeout',
      },
    ]);
    expect(dropStaleProjects(s, 14, T0 + 20 * 86_400_000)).toEqual(['/a']);
    expect(listProjects(s).map((p) => p.root)).toEqual(['/b']);
  });

  it('registerProject says when the monitor is not following the project yet under this name and source', () => {
    const s = open();
    const p = { root: '/a', name: 'a', sourceKey: 'k', registeredBy: 'session-start' };
    expect(registerProject(s, p, T0)).toBe(true);
    expect(registerProject(s, p, T0 + 1)).toBe(false);
    expect(registerProject(s, { ...p, sourceKey: 'other' }, T0 + 2)).toBe(true);
    expect(registerProject(s, { ...p, sourceKey: 'other', name: 'renamed' }, T0 + 3)).toBe(true);
    expect(listProjects(s)).toEqual([
      { root: '/a', name: 'renamed', sourceKey: 'other', lastSeen: T0 + 3, registeredBy: 'session-start' },
    ]);
  });
});
