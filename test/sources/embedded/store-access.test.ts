// The built-in store tells the cache itself: a write read again into every cached scope of its project by the
// process that made it, with its alerts, no stale mark and no monitor woken; and a write a session's call made is
// noted as that session's own, so its news leaves it out.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listUnshownAlerts } from '../../../src/cache/alerts.js';
import { actingFor } from '../../../src/cache/acting-for.js';
import { takeOwnWrites } from '../../../src/cache/own-writes.js';
import { listSnapshotsDue, readSnapshot, writeSnapshot } from '../../../src/cache/snapshots.js';
import { homeFiles } from '../../../src/home/files.js';
import { sqliteStore, openTaskDb, type TaskDb } from '../../../src/store/index.js';
import { invalidateOnChange } from '../../../src/sources/embedded/store-access.js';
import { BUILT_IN_VIA_MONITOR } from '../../../src/sources/embedded/notes.js';
import { cacheEachTest, recordingLogger } from '../../helpers/cache.js';

const each = cacheEachTest();
const dbs: TaskDb[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

const key = (branch: string) => ({ sourceKey: 'embedded', project: 'shop', branch });

function setup() {
  const cache = each.open();
  const db = openTaskDb(path.join(each.dir, 'tasks.db'));
  dbs.push(db);
  const shop = db.ensureProject('shop');
  const main = db.ensureBranch(shop.id, 'main');
  db.createTask({ projectId: shop.id, gitBranchId: main.id, title: 'Fix login' });
  // Sessions on two branches have read the project before the write.
  for (const branch of ['main', 'feature/pay']) {
    writeSnapshot(cache, { ...key(branch), fetchedAt: 1, source: 'x', tasks: [], next: null });
  }
  invalidateOnChange(db, { home: each.home, log: recordingLogger([]), cache, server: BUILT_IN_VIA_MONITOR });
  return { cache, db, store: sqliteStore(db), shop };
}

describe("the built-in store's writes", () => {
  it('are in every cached scope of the project at once: no stale mark, no monitor woken, the alert raised', async () => {
    const { cache, store, shop } = setup();
    await store.createTask({ projectId: shop.id, gitBranchId: null, title: 'Refund flow', priority: 'high' });
    for (const branch of ['main', 'feature/pay']) {
      const snap = readSnapshot(cache, key(branch));
      expect(snap?.tasks.map((t) => t.title)).toContain('Refund flow');
      expect([snap?.staleSince, snap?.source]).toEqual([undefined, BUILT_IN_VIA_MONITOR]);
    }
    expect(readSnapshot(cache, key('main'))?.tasks.map((t) => t.title)).toEqual(['Refund flow', 'Fix login']);
    expect(listSnapshotsDue(cache)).toEqual([]);
    expect(existsSync(path.join(homeFiles(each.home).signals, 'refresh'))).toBe(false);
    expect(listUnshownAlerts(cache, 'embedded', 'shop').map((a) => a.message)).toEqual([
      'New high task: Refund flow (id TASK-002)',
    ]);
  });

  it("are the writing session's own when its call made them, and nobody's otherwise", async () => {
    const { cache, store, shop } = setup();
    const mine = await actingFor('sess-1', () =>
      store.createTask({ projectId: shop.id, gitBranchId: null, title: 'Mine', priority: 'high' }),
    );
    await store.createTask({ projectId: shop.id, gitBranchId: null, title: 'Not mine', priority: 'high' });
    expect([...takeOwnWrites(cache, 'sess-1', 'shop', 0)]).toEqual([mine.id]);
    expect([...takeOwnWrites(cache, 'sess-2', 'shop', 0)]).toEqual([]);
  });
});
