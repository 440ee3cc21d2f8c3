// Install's word to the monitor, run through the built CLI: the project registered under its name and source.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/cache.js';
import { listProjects } from '../../src/cache/registered-projects.js';
import { makeWorld, type World } from './cli.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
});
afterEach(() => w.cleanup());

describe('registerInstalled', () => {
  it('registers the project with the monitor', () => {
    expect(w.run(['install']).code).toBe(0);
    const cache = openCache({ home: w.thHome });
    try {
      const p = listProjects(cache).find((x) => x.root === w.project);
      expect(p).toMatchObject({ name: 'my project', registeredBy: 'install', sourceKey: 'embedded' });
    } finally {
      cache.close();
    }
  });
});
