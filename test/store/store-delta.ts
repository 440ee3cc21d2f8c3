// The change sequence's property, on either engine: after any mix of adds, updates, deletes, claims, releases, moves
// between branches and branch deletions, an old listing patched with the delta since its sequence equals the listing
// read whole. Seeded random (a small PRNG, not a property library: each failure names its seed, and that is all
// shrinking would add for operations this few).
import { expect } from 'vitest';
import type { TaskDelta, TaskFilter, TaskRecord, TaskStore } from '../../src/store/index.js';
import type { TaskStatus } from '../../src/tasks/task.js';

/** mulberry32: a seeded PRNG, so a failing run is repeated by its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Listing {
  sequence: number;
  tasks: Map<string, TaskRecord>;
}

/** The whole listing, with its project's sequence read before it (as manage_task list answers). */
export async function listing(store: TaskStore, filter: TaskFilter): Promise<Listing> {
  const names = filter.gitBranchId ? { gitBranchId: filter.gitBranchId } : { project: filter.projectId };
  const { sequence = 0 } = await store.listingScope(names);
  const { tasks } = await store.listTasks({ ...filter, limit: 10_000 });
  return { sequence, tasks: new Map(tasks.map((t) => [t.id, t])) };
}

export function patched(old: Listing, delta: TaskDelta): Listing {
  if (delta.full) throw new Error(`a delta was expected, the store answered full: ${delta.why}`);
  const tasks = new Map(old.tasks);
  for (const t of delta.tasks) tasks.set(t.id, t);
  for (const id of delta.deletedIds) tasks.delete(id);
  return { sequence: delta.sequence, tasks };
}

const STATUSES: TaskStatus[] = ['todo', 'in_progress', 'blocked', 'review', 'done'];

/** One random write to the store (some are refused by its rules: that is a write that changed nothing). */
export async function randomWrite(
  store: TaskStore,
  rand: () => number,
  projectId: string,
  branches: string[],
): Promise<void> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const { tasks } = await store.listTasks({ projectId, limit: 10_000 });
  const branch = (): string | null => (rand() < 0.2 ? null : pick(branches));
  const r = rand();
  if (tasks.length < 3 || r < 0.25) {
    await store.createTask({ projectId, gitBranchId: branch(), title: `t${Math.floor(rand() * 1e6)}` });
    return;
  }
  const t = pick(tasks);
  const writes: Array<() => Promise<unknown>> = [
    () => store.updateTask(t.id, { status: pick(STATUSES), title: `${t.title}+` }),
    () => store.deleteTask(t.id),
    () => store.claimTask({ taskId: t.id, claimant: pick(['ann', 'bob']), leaseSeconds: 60 }),
    () => store.releaseTask(t.id, pick(['ann', 'bob'])),
    () => store.updateTask(t.id, { gitBranchId: branch() }),
    () => store.addDependency(t.id, pick(tasks).id),
  ];
  await pick(writes)().catch(() => undefined);
}

/** Runs rounds of random writes and checks, for each filter, old listing + delta = new listing. */
export async function checkDeltas(
  store: TaskStore,
  seed: number,
  projectId: string,
  branches: string[],
  filters: TaskFilter[],
): Promise<number> {
  const rand = prng(seed);
  let checked = 0;
  let before = await Promise.all(filters.map((f) => listing(store, f)));
  for (let round = 0; round < 6; round++) {
    const writes = 1 + Math.floor(rand() * 12);
    for (let i = 0; i < writes; i++) await randomWrite(store, rand, projectId, branches);
    const after = await Promise.all(filters.map((f) => listing(store, f)));
    for (const [i, filter] of filters.entries()) {
      const old = before[i] as Listing;
      const now = after[i] as Listing;
      const got = patched(old, await store.changesSince(filter, old.sequence));
      expect(
        [...got.tasks.values()].sort((a, b) => a.id.localeCompare(b.id)),
        `seed ${seed}, round ${round}, filter ${JSON.stringify(filter)}`,
      ).toEqual([...now.tasks.values()].sort((a, b) => a.id.localeCompare(b.id)));
      expect(got.sequence).toBeGreaterThanOrEqual(now.sequence);
      checked++;
    }
    before = after;
  }
  return checked;
}
