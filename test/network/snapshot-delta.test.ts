// The monitor's snapshot kept by deltas, on either engine: a real task server on 127.0.0.1 over the store, the
// agenthub reader and the cache. After rounds of random adds, updates, deletes, claims, releases and moves between
// branches, the snapshot patched from `list since` its cursor holds the same tasks (same order, same fields) and the
// same next task as the list read whole at that moment, and every patch after the first read was a delta.
import { describe } from 'vitest';
import type { TaskStore } from '../../src/server/index.js';
import { openSource } from '../../src/sources/open.js';
import { sourceOf } from '../helpers/settings.js';
import { expectDeltaEqualsWhole, firstSnapshot, onBothEngines, startDeltaRig } from '../helpers/snapshot-delta.js';
import { prng, randomWrite } from '../store/store-delta.js';

const ROUNDS = 8;

/** `served` behind the server, `store` written to (another connection to the same database, or the same store). */
async function checkSnapshotDeltas(served: TaskStore, store: TaskStore, seed: number): Promise<void> {
  const rig = await startDeltaRig(served);
  const settings = sourceOf({ source: { servers: [rig.url], timeoutMs: 10_000 }, auth: { token: rig.token } });
  const source = openSource({ source: settings, home: rig.home, cache: rig.cache, log: rig.log });
  try {
    const { project } = await store.getOrCreateProject({ name: `shop-${seed}` });
    const main = await store.createBranch({ projectId: project.id, name: 'main' });
    const feature = await store.createBranch({ projectId: project.id, name: 'feature' });
    const rand = prng(seed);
    for (let i = 0; i < 5; i++) await randomWrite(store, rand, project.id, [main.id, feature.id]);
    const scope = { projectRoot: rig.home, project: project.name, branch: 'main' };
    await firstSnapshot(source, rig, settings.key, scope);
    for (let round = 0; round < ROUNDS; round++) {
      const writes = 1 + Math.floor(rand() * 10);
      for (let i = 0; i < writes; i++) await randomWrite(store, rand, project.id, [main.id, feature.id]);
      await expectDeltaEqualsWhole(source, rig, settings.key, scope, `seed ${seed}, round ${round}`);
    }
  } finally {
    await source.close();
    await rig.close();
  }
}

describe('a snapshot kept by deltas equals the list read whole', () => {
  onBothEngines(checkSnapshotDeltas);
});
