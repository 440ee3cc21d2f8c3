// What one notification carries, read from a real store: nothing the first time (nothing was told to count from), then
// each project's delta since the one before and the next task of each branch that may have changed; nothing when it
// would be too big or the project has too many branches, so subscribers ask for it themselves.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTaskDb, sqliteStore, type TaskStore } from '../../src/server/index.js';
import { carriedChanges } from '../../src/server/pushed-changes.js';

let dir: string;
let close: () => void;
let store: TaskStore;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-carried-'));
  const db = openTaskDb(path.join(dir, 'tasks.db'));
  close = () => db.close();
  store = sqliteStore(db);
});
afterEach(() => {
  close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the changes a notification carries', () => {
  it('counts from the notification before, and tells the next task of the branches that may have changed', async () => {
    const carry = carriedChanges(store);
    const { project } = await store.getOrCreateProject({ name: 'shop' });
    const main = await store.createBranch({ projectId: project.id, name: 'main' });
    const feature = await store.createBranch({ projectId: project.id, name: 'feature' });
    const a = await store.createTask({ projectId: project.id, gitBranchId: main.id, title: 'a', priority: 'low' });
    const f = await store.createTask({ projectId: project.id, gitBranchId: feature.id, title: 'f' });
    expect(await carry('shop')).toBeUndefined();
    const shopSequence = async () => (await store.listingScope({ project: 'shop' })).sequence;
    const told = await shopSequence();

    const b = await store.createTask({ projectId: project.id, gitBranchId: main.id, title: 'b', priority: 'high' });
    await store.deleteTask(f.id);
    // Another project's write moves none of shop's numbers.
    const other = await store.getOrCreateProject({ name: 'other' });
    await store.createTask({ projectId: other.project.id, title: 'o' });
    const first = await carry('shop');
    expect(first).toMatchObject({ since: told, sequence: (told ?? 0) + 2, deleted_task_ids: [f.id] });
    expect(first?.sequence).toBe(await shopSequence());
    expect(first?.tasks.map((t) => t.id)).toEqual([b.id]);
    expect(first?.next).toEqual({ [main.id]: b.id, [feature.id]: null });

    // Only the branch written to is told; the other's next task is unchanged. A next task not written is sent too.
    await store.updateTask(b.id, { status: 'done' });
    const second = await carry('shop');
    expect(second?.since).toBe(first?.sequence);
    expect(second?.next).toEqual({ [main.id]: a.id });
    expect(second?.tasks.map((t) => t.id).sort()).toEqual([a.id, b.id].sort());

    expect(await carry('nowhere')).toBeUndefined();
  });

  it("tells every branch's next when a project task not written becomes one branch's next", async () => {
    const carry = carriedChanges(store);
    const { project } = await store.getOrCreateProject({ name: 'shop' });
    const main = await store.createBranch({ projectId: project.id, name: 'main' });
    const feature = await store.createBranch({ projectId: project.id, name: 'feature' });
    const p = await store.createTask({ projectId: project.id, gitBranchId: null, title: 'p', priority: 'medium' });
    const b = await store.createTask({ projectId: project.id, gitBranchId: main.id, title: 'b', priority: 'high' });
    await carry('shop');

    // Main's next moves to the project task, feature's stays it; a subscriber on feature takes the carried project
    // task as written on its branch too, so it must be told feature's next as well, or it fetches.
    await store.updateTask(b.id, { status: 'done' });
    const carried = await carry('shop');
    expect(carried?.tasks.map((t) => t.id).sort()).toEqual([b.id, p.id].sort());
    expect(carried?.next).toEqual({ [main.id]: p.id, [feature.id]: p.id });
  });

  it('carries nothing past its size or for a project with too many branches', async () => {
    const carry = carriedChanges(store);
    const { project } = await store.getOrCreateProject({ name: 'big' });
    const main = await store.createBranch({ projectId: project.id, name: 'main' });
    await carry('big');
    await store.createTask({ projectId: project.id, gitBranchId: main.id, title: 'x', details: 'y'.repeat(40_000) });
    expect(await carry('big')).toBeUndefined();
    await store.createTask({ projectId: project.id, gitBranchId: main.id, title: 'small', priority: 'high' });
    expect(await carry('big')).toMatchObject({ tasks: [{ title: 'small' }] });

    for (let i = 0; i < 33; i++) await store.createBranch({ projectId: project.id, name: `b${i}` });
    await store.createTask({ projectId: project.id, gitBranchId: main.id, title: 'more' });
    expect(await carry('big')).toBeUndefined();
  });
});
