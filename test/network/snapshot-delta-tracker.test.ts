// The monitor's snapshot of a task-tracking source kept by deltas, on either engine: a real task server on 127.0.0.1
// over the store, the tracker reader and the cache. After rounds of random adds, status changes, claims and releases
// through the tracker tools, and edits, deletes and other projects' tasks through the store (the tracker tools have no
// edit or delete), the snapshot patched from `list_tasks` since its cursor holds the same tasks (same order, same
// fields) and the same next task as the list read whole at that moment, and every patch after the first was a delta.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSnapshot, writeSnapshot } from '../../src/cache/snapshots.js';
import { snapshotFrom } from '../../src/network/index.js';
import { openSource } from '../../src/sources/open.js';
import { operation, type TaskSource } from '../../src/sources/source.js';
import type { DeltaCursor } from '../../src/tasks/delta.js';
import type { Scope } from '../../src/tasks/scope.js';
import { TASK_PRIORITIES, type TaskStatus } from '../../src/tasks/task.js';
import { deadlineIn } from '../../src/util/deadline.js';
import { openTaskDb, sqliteStore, type TaskStore } from '../../src/server/index.js';
import { sourceOf } from '../helpers/settings.js';
import {
  type DeltaRig,
  expectDeltaEqualsWhole,
  firstSnapshot,
  onBothEngines,
  startDeltaRig,
} from '../helpers/snapshot-delta.js';
import { prng } from '../store/store-delta.js';

const ROUNDS = 8;
const STATUSES: TaskStatus[] = ['todo', 'in_progress', 'blocked', 'review', 'testing', 'done', 'cancelled'];

const trackerOf = (rig: DeltaRig) =>
  sourceOf({
    source: { adapter: 'tracker', servers: [rig.url], timeoutMs: 10_000 },
    auth: { apiKey: rig.token, apiKeyHeader: 'Authorization' },
  });

interface Writers {
  /** The tracker tools, through a reader of their own. */
  tools: TaskSource;
  /** The store, for what the tracker tools cannot do. */
  store: TaskStore;
  scope: Scope;
  projectId: string;
  otherProjectId: string;
}

/** One random write; answers whether it landed (some are refused by the store's rules: a claim held by another). */
async function randomTrackerWrite(w: Writers, rand: () => number): Promise<boolean> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const { tasks } = await w.store.listTasks({ projectId: w.projectId, limit: 10_000 });
  const o = { deadline: deadlineIn(10_000) };
  if (tasks.length < 3 || rand() < 0.2) {
    await w.tools.create(w.scope, { title: `t${Math.floor(rand() * 1e6)}`, priority: pick(TASK_PRIORITIES) }, o);
    return true;
  }
  const t = pick(tasks);
  const who = pick(['ann', 'bob']);
  const writes: Array<() => Promise<unknown>> = [
    () => w.tools.setStatus(t.id, pick(STATUSES), o),
    () => w.tools.setStatus(t.id, pick(STATUSES), { ...o, note: 'said on the way' }),
    () => operation(w.tools, 'claim', 'keep claims')(t.id, { claimant: who, leaseSeconds: 600 }, o),
    () => operation(w.tools, 'release', 'keep claims')(t.id, who, o),
    () => w.store.updateTask(t.id, { title: `${t.title}+`, priority: pick(TASK_PRIORITIES) }),
    () => w.store.deleteTask(t.id),
    () => w.store.createTask({ projectId: w.otherProjectId, title: 'not this project' }),
  ];
  return pick(writes)().then(
    () => true,
    () => false,
  );
}

/** `served` behind the server, `store` written to (another connection to the same database, or the same store). */
async function checkTrackerDeltas(served: TaskStore, store: TaskStore, seed: number): Promise<void> {
  const rig = await startDeltaRig(served);
  const settings = trackerOf(rig);
  const open = () => openSource({ source: settings, home: rig.home, cache: rig.cache, log: rig.log });
  const source = open();
  const tools = open();
  try {
    const { project } = await store.getOrCreateProject({ name: `desk-${seed}` });
    const { project: other } = await store.getOrCreateProject({ name: `other-${seed}` });
    const scope = { projectRoot: rig.home, project: project.name, branch: 'main' };
    const w: Writers = { tools, store, scope, projectId: project.id, otherProjectId: other.id };
    const rand = prng(seed);
    let landed = 0;
    for (let i = 0; i < 5; i++) landed += Number(await randomTrackerWrite(w, rand));
    await firstSnapshot(source, rig, settings.key, scope);
    for (let round = 0; round < ROUNDS; round++) {
      const writes = 1 + Math.floor(rand() * 10);
      for (let i = 0; i < writes; i++) landed += Number(await randomTrackerWrite(w, rand));
      await expectDeltaEqualsWhole(source, rig, settings.key, scope, `seed ${seed}, round ${round}`);
    }
    expect(landed, `seed ${seed}: writes that landed`).toBeGreaterThan(ROUNDS);
  } finally {
    await source.close();
    await tools.close();
    await rig.close();
  }
}

describe('a tracker snapshot kept by deltas equals the list read whole', () => {
  onBothEngines(checkTrackerDeltas);
});

describe('a tracker cursor the server cannot answer from', () => {
  it('is read whole: another server or project, a sequence the store never gave, a project it does not know', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-tracker-cursor-'));
    const db = openTaskDb(path.join(dir, 'tasks.db'));
    const store = sqliteStore(db);
    const rig = await startDeltaRig(store);
    const settings = trackerOf(rig);
    const source = openSource({ source: settings, home: rig.home, cache: rig.cache, log: rig.log });
    try {
      const { project } = await store.getOrCreateProject({ name: 'desk' });
      await store.createTask({ projectId: project.id, title: 'Open work' });
      const scope = { projectRoot: rig.home, project: 'desk', branch: 'main' };
      const o = () => ({ deadline: deadlineIn(10_000) });
      const whole = await source.pending(scope, o());
      const cursor = whole.cursor ?? { sequence: -1, basis: '' };
      expect(cursor.basis).toBe(`tracker ${rig.url} project desk`);
      const since = async (s: Scope, c: DeltaCursor) => {
        if (!source.pendingSince) throw new Error('the tracker reader asks no delta');
        return source.pendingSince(s, c, o());
      };
      expect(await since(scope, { ...cursor, basis: 'tracker http://elsewhere/mcp project desk' })).toEqual({
        full: true,
        why: 'the cursor is of another server or project',
      });
      expect(await since(scope, { ...cursor, sequence: cursor.sequence + 1000 })).toEqual({
        full: true,
        why: expect.stringMatching(/ahead of this project's/),
      });
      const nowhere = { ...scope, project: 'nowhere' };
      const empty = await source.pending(nowhere, o());
      expect(empty.tasks).toEqual([]);
      expect(await since(nowhere, empty.cursor ?? cursor)).toMatchObject({ full: true });

      // Through the snapshot: a cursor the store never gave is answered whole, and the whole read's cursor kept.
      const key = { sourceKey: settings.key, ...scope };
      const args = { sourceKey: settings.key, cache: rig.cache, log: rig.log, scope, deadline: deadlineIn(10_000) };
      const first = await snapshotFrom(source, args);
      writeSnapshot(rig.cache, { ...first, cursor: { ...cursor, sequence: cursor.sequence + 1000 } });
      const before = rig.lines.length;
      const again = await snapshotFrom(source, { ...args, deadline: deadlineIn(10_000) });
      expect(rig.lines.slice(before)).toEqual(['reading the whole task list: no delta']);
      expect(again.tasks).toEqual(whole.tasks);
      expect(readSnapshot(rig.cache, key)?.cursor).toEqual(cursor);
    } finally {
      await source.close();
      await rig.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
