// Changes carried in the notification, on either engine: a real task server on 127.0.0.1 over the store, subscribed
// through the monitor's own subscription (network's subscribeToChanges) with snapshots of two branches in the cache.
// A notification's delta is applied to every snapshot it covers with no call; one it does not cover is fetched, as
// the monitor does. After the first fetch, rounds of random adds, updates, deletes, claims, releases, moves between
// branches and dependencies reach both snapshots with no call at all, and each equals the list and next task read
// whole at that moment.
import { describe, expect } from 'vitest';
import type { Cache } from '../../src/cache/cache.js';
import { readSnapshot } from '../../src/cache/snapshots.js';
import { snapshotFrom, subscribeToChanges } from '../../src/network/index.js';
import type { TaskStore } from '../../src/server/index.js';
import { openSource } from '../../src/sources/open.js';
import type { TaskSource } from '../../src/sources/source.js';
import type { Scope } from '../../src/tasks/scope.js';
import { deadlineIn } from '../../src/util/deadline.js';
import { silentLogger } from '../helpers/cache.js';
import { sourceOf } from '../helpers/settings.js';
import { onBothEngines, startDeltaRig } from '../helpers/snapshot-delta.js';
import { prng, randomWrite } from '../store/store-delta.js';

const ROUNDS = 8;

/** The monitor's part: a snapshot the notification did not bring up to its sequence is fetched; fetches counted. */
function follower(cache: Cache, source: TaskSource, sourceKey: string, scopes: Scope[]) {
  let queue = Promise.resolve();
  let busy = 0;
  const state = { fetches: 0, heard: 0, busy: () => busy > 0 };
  const onChange = (_project: string, sequence?: number): void => {
    state.heard++;
    busy++;
    queue = queue
      .then(async () => {
        for (const scope of scopes) {
          const at = readSnapshot(cache, { sourceKey, ...scope })?.cursor?.sequence ?? -1;
          if (sequence !== undefined && at >= sequence) continue;
          state.fetches++;
          await snapshotFrom(source, { sourceKey, cache, log: silentLogger(), scope, deadline: deadlineIn(30_000) });
        }
      })
      .finally(() => busy--);
  };
  return { state, onChange };
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `served` behind the server, `store` written to (another connection to the same database, or the same store). */
async function checkPushedChanges(served: TaskStore, store: TaskStore, seed: number): Promise<void> {
  const rig = await startDeltaRig(served);
  const { home, cache, log } = rig;
  const settings = sourceOf({ source: { servers: [rig.url], timeoutMs: 10_000 }, auth: { token: rig.token } });
  const source = openSource({ source: settings, home, cache, log });
  const { project } = await store.getOrCreateProject({ name: `pushed-${seed}` });
  const main = await store.createBranch({ projectId: project.id, name: 'main' });
  const feature = await store.createBranch({ projectId: project.id, name: 'feature' });
  // Snapshots' cursors count the project's changes, not the store's.
  const projectSequence = async (): Promise<number> =>
    (await store.listingScope({ project: project.id })).sequence ?? 0;
  const scopes = ['main', 'feature'].map((branch) => ({ projectRoot: home, project: project.name, branch }));
  const f = follower(cache, source, settings.key, scopes);
  const outcome = await subscribeToChanges({
    source: settings,
    home,
    cache,
    log,
    projects: [project.name],
    onChange: f.onChange,
    deadline: deadlineIn(10_000),
  });
  if (!outcome.subscribed) throw new Error(`not subscribed: ${outcome.why}`);
  try {
    const rand = prng(seed);
    for (let i = 0; i < 5; i++) await randomWrite(store, rand, project.id, [main.id, feature.id]);
    for (const scope of scopes)
      await snapshotFrom(source, { sourceKey: settings.key, cache, log, scope, deadline: deadlineIn(30_000) });
    for (let round = 0; round < ROUNDS; round++) {
      const fetchesBefore = f.state.fetches;
      const heardBefore = f.state.heard;
      const sequenceBefore = await projectSequence();
      const writes = 1 + Math.floor(rand() * 10);
      for (let i = 0; i < writes; i++) await randomWrite(store, rand, project.id, [main.id, feature.id]);
      const sequence = await projectSequence();
      await until(`round ${round} to reach both snapshots`, async () => {
        const at = scopes.map((s) => readSnapshot(cache, { sourceKey: settings.key, ...s })?.cursor?.sequence ?? -1);
        return !f.state.busy() && at.every((a) => a >= sequence);
      });
      const where = `seed ${seed}, round ${round}`;
      // The first notification has nothing before it to count from: it is fetched, and every one after is carried.
      // (A round whose writes were all refused changed nothing and is told nothing.)
      if (round > 0 && sequence > sequenceBefore) {
        expect(f.state.heard, where).toBeGreaterThan(heardBefore);
        expect(f.state.fetches - fetchesBefore, where).toBe(0);
      }
      for (const scope of scopes) {
        const snap = readSnapshot(cache, { sourceKey: settings.key, ...scope });
        const whole = await source.pending(scope, { deadline: deadlineIn(30_000) });
        const next = await source.next(scope, { deadline: deadlineIn(30_000) });
        expect(snap?.tasks, `${where}, ${scope.branch}`).toEqual(whole.tasks);
        expect(snap?.next, `${where}, ${scope.branch}`).toEqual(next);
      }
    }
  } finally {
    await outcome.subscription.close();
    await source.close();
    await rig.close();
  }
}

describe('changes carried in the notification reach every snapshot with no call', () => {
  onBothEngines(checkPushedChanges);
});
