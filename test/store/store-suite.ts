// One store test suite, run against each engine (store-sqlite.test.ts, store-postgres.test.ts): what the TaskStore
// interface promises, whichever database holds the tasks. Concurrency runs on several connections at once.
import { afterEach, describe, expect, it } from 'vitest';
import type { StoreChange, TaskStore } from '../../src/store/index.js';
import { TaskDbError } from '../../src/store/errors.js';
import { fieldSpec, TASK_FIELD_NAMES } from '../../src/tasks/fields.js';
import { checkDeltas, listing, patched } from './store-delta.js';

export interface StoreFixture {
  store: TaskStore;
  /** Another connection (or pool) to the same store: concurrent callers, as other processes would be. */
  connect(): Promise<TaskStore>;
  close(): Promise<void>;
}

/** The refusal `p` rejects with: its code and message. */
async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TaskDbError);
  const { code, message } = err as TaskDbError;
  return { code, message };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function storeSuite(engine: string, open: () => Promise<StoreFixture>): void {
  describe(`task store on ${engine}`, () => {
    const fixtures: StoreFixture[] = [];
    const extra: TaskStore[] = [];
    afterEach(async () => {
      for (const s of extra.splice(0)) await s.close();
      for (const f of fixtures.splice(0)) await f.close();
    });
    async function fresh(): Promise<StoreFixture> {
      const f = await open();
      fixtures.push(f);
      return f;
    }
    async function connections(f: StoreFixture, n: number): Promise<TaskStore[]> {
      const stores = await Promise.all(Array.from({ length: n }, () => f.connect()));
      extra.push(...stores);
      return stores;
    }
    async function seeded(): Promise<{ f: StoreFixture; store: TaskStore; projectId: string; branchId: string }> {
      const f = await fresh();
      const { project } = await f.store.getOrCreateProject({ name: 'shop', description: 'the shop' });
      const { branch } = await f.store.getOrCreateBranch({ projectId: project.id, name: 'main' });
      return { f, store: f.store, projectId: project.id, branchId: branch.id };
    }

    it('projects and branches: get-or-create answers the existing row; a strict create refuses a duplicate', async () => {
      const { store } = await fresh();
      const first = await store.getOrCreateProject({ name: 'shop', description: 'first' });
      const again = await store.getOrCreateProject({ name: 'shop', description: 'second' });
      expect(first.created).toBe(true);
      expect(again).toEqual({ project: first.project, created: false });
      expect(await refusal(store.createProject({ name: 'shop' }))).toEqual({
        code: 'ALREADY_EXISTS',
        message: 'Project already exists: shop',
      });
      expect((await store.getProject('shop'))?.id).toBe(first.project.id);
      expect((await store.updateProject(first.project.id, { description: 'renamed' })).description).toBe('renamed');
      const b = await store.getOrCreateBranch({ projectId: first.project.id, name: 'main' });
      expect((await store.getOrCreateBranch({ projectId: first.project.id, name: 'main' })).branch.id).toBe(
        b.branch.id,
      );
      expect((await store.findBranch(first.project.id, 'main'))?.id).toBe(b.branch.id);
      expect((await store.listBranches(first.project.id)).map((x) => x.name)).toEqual(['main']);
      expect((await refusal(store.getOrCreateBranch({ projectId: 'nope', name: 'main' }))).code).toBe('NOT_FOUND');
      expect((await refusal(store.getOrCreateProject({ name: '  ' }))).code).toBe('VALIDATION_ERROR');
      await store.createProject({ name: 'web' });
      const taken = (message: string) => ({ code: 'ALREADY_EXISTS', message });
      expect(await refusal(store.updateProject(first.project.id, { name: 'web' }))).toEqual(
        taken('Project already exists: web'),
      );
      expect(await refusal(store.createBranch({ projectId: first.project.id, name: 'main' }))).toEqual(
        taken('Git branch already exists in shop: main'),
      );
      const dev = await store.createBranch({ projectId: first.project.id, name: 'dev' });
      expect(await refusal(store.updateBranch(dev.id, { name: 'main' }))).toEqual(
        taken('Git branch already exists: main'),
      );
      expect((await store.updateBranch(dev.id, { name: ' next ' })).name).toBe('next');
      await store.deleteBranch(dev.id);
      await store.deleteBranch(b.branch.id);
      expect(await store.listBranches(first.project.id)).toEqual([]);
    });

    it('tasks: ids in order, versions move on, a stale version is refused, status rules hold, dependencies', async () => {
      const { store, projectId, branchId } = await seeded();
      const a = await store.createTask({ projectId, gitBranchId: branchId, title: 'one', priority: 'high' });
      const b = await store.createTask({ projectId, gitBranchId: branchId, title: 'two' });
      expect([a.id, b.id]).toEqual(['TASK-001', 'TASK-002']);
      expect(a).toMatchObject({ version: 1, claimedBy: null, claimExpiresAt: null, status: 'todo' });
      const edited = await store.updateTask(a.id, { title: 'one, edited' }, 1);
      expect(edited.version).toBe(2);
      const stale = await refusal(store.updateTask(a.id, { title: 'lost' }, 1));
      expect(stale.code).toBe('CONFLICT');
      expect(stale.message).toMatch(/Task TASK-001 is at version 2, not 1/);
      expect((await store.getTask(a.id))?.title).toBe('one, edited');
      await store.addDependency(b.id, a.id);
      expect((await store.nextTask({ projectId })).task?.id).toBe(a.id);
      const done = await store.setStatus(a.id, 'done', 'shipped');
      expect(done).toMatchObject({ status: 'done', completionSummary: 'shipped' });
      expect(done.completedAt).not.toBeNull();
      expect((await refusal(store.setStatus(a.id, 'in_progress'))).code).toBe('INVALID_TRANSITION');
      expect((await store.nextTask({ projectId })).task?.id).toBe(b.id);
      expect((await store.listTasks({ projectId, statuses: ['todo'] })).tasks.map((t) => t.id)).toEqual([b.id]);
      expect((await store.listTasks({ projectId, query: 'edited' })).total).toBe(1);
      await store.deleteTask(a.id);
      expect((await store.getTask(b.id))?.dependencies).toEqual([]);
      expect(await store.countTasks()).toBe(1);
      expect((await refusal(store.createTask({ projectId, id: b.id, title: 'dup' }))).code).toBe('ALREADY_EXISTS');
      const explicit = await store.createTask({ projectId, id: 'TASK-046', title: 'given' });
      expect(explicit.id).toBe('TASK-046');
      expect((await store.createTask({ projectId, title: 'after' })).id).toBe('TASK-047');
    });

    it('a query finds a task by every declared text field, in any case, and by no other field', async () => {
      const { store, projectId } = await seeded();
      const text = TASK_FIELD_NAMES.filter((name) => fieldSpec(name).kind === 'text');
      expect(text).toContain('details');
      for (const name of text) await store.createTask({ projectId, title: `by ${name}`, [name]: `Needle in ${name}` });
      await store.createTask({ projectId, title: 'due only', dueDate: '2026-12-01' });
      for (const name of text) {
        const found = await store.listTasks({ projectId, query: `needle IN ${name}` });
        expect(found.tasks.map((t) => t.title)).toEqual([`by ${name}`]);
      }
      expect((await store.listTasks({ projectId, query: 'needle' })).total).toBe(text.length);
      expect((await store.listTasks({ projectId, query: '2026-12' })).total).toBe(0);
    });

    it('notes: added with author and time, listed oldest first; an empty note or an unknown task is refused', async () => {
      const { store, projectId } = await seeded();
      const t = await store.createTask({ projectId, title: 'noted' });
      const first = await store.addNote(t.id, 'tried the cache', 'dana');
      await store.addNote(t.id, ' second ');
      expect(first).toMatchObject({ taskId: t.id, author: 'dana', text: 'tried the cache' });
      expect((await store.listNotes(t.id)).map((n) => [n.author, n.text])).toEqual([
        ['dana', 'tried the cache'],
        ['', 'second'],
      ]);
      expect((await refusal(store.addNote(t.id, '   '))).code).toBe('VALIDATION_ERROR');
      expect((await refusal(store.addNote('TASK-999', 'x'))).code).toBe('NOT_FOUND');
    });

    it('claims: one holder at a time, renewed by its holder, refused to others with who and until when, released', async () => {
      const { store, projectId } = await seeded();
      const t = await store.createTask({ projectId, title: 'contested' });
      const mine = await store.claimTask({ taskId: t.id, claimant: 'ann', leaseSeconds: 900 });
      expect(mine).toMatchObject({ claimedBy: 'ann', version: 2 });
      expect(Date.parse(mine.claimExpiresAt ?? '') - Date.now()).toBeGreaterThan(800_000);
      const refused = await refusal(store.claimTask({ taskId: t.id, claimant: 'bob', leaseSeconds: 900 }));
      expect(refused.code).toBe('CLAIMED');
      expect(refused.message).toContain(`Task ${t.id} is claimed by ann until ${mine.claimExpiresAt}`);
      expect((await store.claimTask({ taskId: t.id, claimant: 'ann', leaseSeconds: 900, version: 2 })).version).toBe(3);
      expect(
        (await refusal(store.claimTask({ taskId: t.id, claimant: 'ann', leaseSeconds: 900, version: 2 }))).code,
      ).toBe('CONFLICT');
      expect((await refusal(store.releaseTask(t.id, 'bob'))).code).toBe('CLAIMED');
      expect(await store.releaseTask(t.id, 'ann')).toMatchObject({ claimedBy: null, claimExpiresAt: null });
      expect((await store.claimTask({ taskId: t.id, claimant: 'bob', leaseSeconds: 900 })).claimedBy).toBe('bob');
      expect((await refusal(store.claimTask({ taskId: 'TASK-999', claimant: 'bob', leaseSeconds: 9 }))).code).toBe(
        'NOT_FOUND',
      );
      expect((await refusal(store.claimTask({ taskId: t.id, claimant: ' ', leaseSeconds: 9 }))).code).toBe(
        'VALIDATION_ERROR',
      );
    });

    it('a claim with an assignee fills an empty assignee list in the same write, and never replaces one', async () => {
      const { store, projectId } = await seeded();
      const open = await store.createTask({ projectId, title: 'nobody yet' });
      expect(
        await store.claimTask({ taskId: open.id, claimant: 'dana/s1', leaseSeconds: 900, assignee: 'dana' }),
      ).toMatchObject({
        assignees: ['dana'],
        version: 2,
      });
      const owned = await store.createTask({ projectId, title: 'owned', assignees: ['ann'] });
      expect(
        (await store.claimTask({ taskId: owned.id, claimant: 'dana/s1', leaseSeconds: 900, assignee: 'dana' }))
          .assignees,
      ).toEqual(['ann']);
    });

    it('a claim whose lease ran out is free again, and the old holder’s versioned update is fenced out', async () => {
      const { store, projectId } = await seeded();
      const t = await store.createTask({ projectId, title: 'leased' });
      const held = await store.claimTask({ taskId: t.id, claimant: 'ann', leaseSeconds: 1 });
      await sleep(1100);
      const taken = await store.claimTask({ taskId: t.id, claimant: 'bob', leaseSeconds: 900 });
      expect(taken.claimedBy).toBe('bob');
      expect((await refusal(store.updateTask(t.id, { status: 'in_progress' }, held.version))).code).toBe('CONFLICT');
      expect((await refusal(store.releaseTask(t.id, 'ann'))).code).toBe('CLAIMED');
    });

    it('20 concurrent claims of one task on separate connections: exactly one winner, the others told CLAIMED', async () => {
      const { f, projectId } = await seeded();
      const t = await f.store.createTask({ projectId, title: 'race' });
      const stores = await connections(f, 20);
      const results = await Promise.allSettled(
        stores.map((s, i) => s.claimTask({ taskId: t.id, claimant: `agent-${i}`, leaseSeconds: 900 })),
      );
      const winners = results.filter((r) => r.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      const losers = results
        .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
        .map((r) => r.reason as TaskDbError);
      expect(losers.map((e) => e.code)).toEqual(Array(19).fill('CLAIMED'));
      const holder = (await f.store.getTask(t.id))?.claimedBy;
      expect(winners[0]?.status === 'fulfilled' && winners[0].value.claimedBy).toBe(holder);
    });

    it('50 concurrent id reservations on separate connections hand out every id once', async () => {
      const { f, projectId } = await seeded();
      const stores = await connections(f, 10);
      const reservations = await Promise.all(
        Array.from({ length: 50 }, (_, i) => stores[i % stores.length]!.reserveIds(projectId, 'US', 3)),
      );
      const ids = reservations.flatMap((r) => r.reservedIds);
      expect(new Set(ids).size).toBe(150);
      expect(await f.store.nextId(projectId, 'US')).toBe('US-151');
      const created = await Promise.all(
        Array.from({ length: 30 }, (_, i) => stores[i % stores.length]!.createTask({ projectId, title: `t${i}` })),
      );
      expect(new Set(created.map((c) => c.id)).size).toBe(30);
      expect((await refusal(f.store.reserveIds(projectId, 'us', 1))).code).toBe('VALIDATION_ERROR');
      expect((await refusal(f.store.reserveIds(projectId, 'US', 101))).code).toBe('VALIDATION_ERROR');
    });

    it('concurrent get-or-create of one project and branch from separate connections: all succeed, one row each', async () => {
      const f = await fresh();
      const stores = await connections(f, 20);
      const projects = await Promise.all(stores.map((s) => s.getOrCreateProject({ name: 'burst' })));
      expect(new Set(projects.map((p) => p.project.id)).size).toBe(1);
      expect(projects.filter((p) => p.created)).toHaveLength(1);
      const projectId = projects[0]!.project.id;
      const branches = await Promise.all(stores.map((s) => s.getOrCreateBranch({ projectId, name: 'main' })));
      expect(new Set(branches.map((b) => b.branch.id)).size).toBe(1);
      expect(await f.store.listProjects()).toHaveLength(1);
    });

    it('the change feed hears every committed task write with its project and task ids', async () => {
      const { store, projectId } = await seeded();
      const heard: StoreChange[] = [];
      const undo = store.subscribeChanges((c) => heard.push(c));
      const t = await store.createTask({ projectId, title: 'watched' });
      await store.claimTask({ taskId: t.id, claimant: 'ann', leaseSeconds: 60 });
      await expect.poll(() => heard.filter((c) => c.taskIds.includes(t.id)).length).toBeGreaterThanOrEqual(2);
      expect(heard.every((c) => c.project === 'shop')).toBe(true);
      undo();
    });

    it('transfer: an export imports into an empty store as the same data; a non-empty one refuses without merge', async () => {
      const { store, projectId, branchId } = await seeded();
      const a = await store.createTask({ projectId, gitBranchId: branchId, title: 'one', labels: ['x'] });
      await store.createTask({ projectId, title: 'two', dependencies: [a.id] });
      await store.reserveIds(projectId, 'US', 2);
      const exported = await store.exportData();
      expect(exported.tasks.map((t) => t.title)).toEqual(['one', 'two']);
      const target = (await fresh()).store;
      expect(await target.importData(exported)).toMatchObject({
        applied: true,
        added: { projects: 1, branches: 1, tasks: 2, reservations: 1 },
      });
      expect({ ...(await target.exportData()), exportedAt: exported.exportedAt }).toEqual(exported);
      expect((await target.createTask({ projectId, title: 'three' })).id).toBe('TASK-003');
      expect((await refusal(target.importData(exported))).message).toMatch(/not empty/);
      expect(await target.importData(exported, { merge: true })).toMatchObject({ applied: true, added: { tasks: 0 } });
    });

    it('transfer: notes and work records go with their tasks; repositories where the store keeps them', async () => {
      const { store, projectId } = await seeded();
      const t = await store.createTask({ projectId, title: 'one' });
      const key = { projectId, id: t.id };
      await store.addNote(key, 'decided: use stripe', 'ann');
      await store.addNote(key, 'second');
      await store.addWorkRecord({
        projectId,
        taskId: t.id,
        sessionId: 's-1',
        agent: 'Codex',
        branch: 'main',
        machine: 'box',
        startedAt: '2026-11-28T08:00:00.000Z',
        endedAt: '2026-11-28T09:00:00.000Z',
        commits: [{ hash: 'abc1234', subject: 'Take cards' }],
        uncommitted: ['pay.ts'],
        statusTo: 'review',
        statusChanges: [{ status: 'review', at: '2026-11-28T08:30:00.000Z' }],
        closingWords: 'Left off: refunds.',
      });
      const repository = {
        repository: 'github.com/acme/shop',
        project: 'shop',
        firstCommit: null,
        seenIn: '/src/shop',
      };
      const exported = { ...(await store.exportData()), repositories: [repository] };
      expect(exported.notes.map((n) => [n.taskId, n.author, n.text])).toEqual([
        [t.id, 'ann', 'decided: use stripe'],
        [t.id, '', 'second'],
      ]);
      const target = (await fresh()).store;
      const kept = engine === 'SQLite';
      expect(await target.importData(exported)).toMatchObject({
        applied: true,
        added: { tasks: 1, notes: 2, workRecords: 1, repositories: kept ? 1 : 0 },
        notKept: kept
          ? []
          : [expect.stringMatching(/^1 repository and the project each is: a PostgreSQL store keeps none/)],
      });
      expect(await target.listNotes(key)).toEqual(await store.listNotes(key));
      expect(await target.listWorkRecords(key)).toEqual(await store.listWorkRecords(key));
      expect((await target.exportData()).repositories).toEqual(kept ? [repository] : []);
      // The store goes on numbering notes after the imported ones.
      expect((await target.addNote(key, 'third')).id).toBe((await store.addNote(key, 'third')).id);
      expect(await target.importData(exported, { merge: true })).toMatchObject({
        applied: true,
        added: { notes: 0, workRecords: 0, repositories: 0 },
      });
    });

    it('deltas: after random writes, an old listing patched with the delta since its sequence is the listing now', async () => {
      const { store, projectId, branchId } = await seeded();
      const { branch: feature } = await store.getOrCreateBranch({ projectId, name: 'feature' });
      const { project: other } = await store.getOrCreateProject({ name: 'other' });
      await store.createTask({ projectId: other.id, title: 'elsewhere' });
      const filters = [
        { projectId },
        { gitBranchId: branchId },
        { gitBranchId: feature.id, statuses: ['todo' as const, 'in_progress' as const] },
      ];
      let checked = 0;
      for (const seed of [1, 2, 3, 42])
        checked += await checkDeltas(store, seed, projectId, [branchId, feature.id], filters);
      expect(checked).toBe(4 * 6 * filters.length);
      // A deleted branch's listing is gone (read whole, its project's listing); its tasks move in that one's delta.
      const old = await listing(store, { projectId });
      await store.createTask({ projectId, gitBranchId: feature.id, title: 'on feature' });
      const onFeature = await listing(store, { gitBranchId: feature.id });
      await store.deleteBranch(feature.id);
      const delta = await store.changesSince({ gitBranchId: feature.id }, onFeature.sequence);
      expect(delta).toEqual({ full: true, why: `no git branch ${feature.id} any more: read its project's listing` });
      expect(patched(old, await store.changesSince({ projectId }, old.sequence)).tasks).toEqual(
        (await listing(store, { projectId })).tasks,
      );
    });

    it('deltas: a deleted task whose id another project takes still leaves its own project, even when deleted again', async () => {
      const { store, projectId } = await seeded();
      const { project: other } = await store.getOrCreateProject({ name: 'other' });
      const t = await store.createTask({ projectId, title: 'goes away' });
      const old = await listing(store, { projectId });
      await store.deleteTask(t.id);
      // Ids are counted per project: another project may be handed the id of a task deleted here.
      const reborn = await store.createTask({ projectId: other.id, id: t.id, title: 'same id, other project' });
      const otherOld = await listing(store, { projectId: other.id });
      const now = async () => (await listing(store, { projectId })).tasks;
      expect(patched(old, await store.changesSince({ projectId }, old.sequence)).tasks).toEqual(await now());
      await store.deleteTask(reborn.id);
      expect(patched(old, await store.changesSince({ projectId }, old.sequence)).tasks).toEqual(await now());
      const since = await store.changesSince({ projectId: other.id }, otherOld.sequence);
      expect(patched(otherOld, since).tasks).toEqual((await listing(store, { projectId: other.id })).tasks);
    });

    it("listingScope: the branch by id, else the project by id or name, with that project's change sequence", async () => {
      const { store, projectId, branchId } = await seeded();
      await store.createTask({ projectId, title: 'moves the sequence' });
      const project = await store.getProject(projectId);
      const branch = await store.getBranch(branchId);
      const { sequence } = await store.listingScope({ project: 'shop' });
      expect(sequence).toBeGreaterThan(0);
      expect(await store.listingScope({})).toEqual({});
      expect(await store.listingScope({ project: 'shop' })).toEqual({ sequence, project });
      expect(await store.listingScope({ project: projectId })).toEqual({ sequence, project });
      expect(await store.listingScope({ gitBranchId: branchId, project: 'shop' })).toEqual({ sequence, branch });
      expect(await store.listingScope({ project: 'nowhere' })).toEqual({});
      expect(await store.listingScope({ gitBranchId: 'no-such-branch' })).toEqual({});
      await store.createTask({ projectId, title: 'and again' });
      expect((await store.listingScope({ project: 'shop' })).sequence).toBe((sequence ?? 0) + 1);
    });

    it("two projects: one's writes do not move the other's change sequence, nor tell it anything", async () => {
      const { store } = await fresh();
      const { project: a } = await store.getOrCreateProject({ name: 'tenant-a' });
      const { project: b } = await store.getOrCreateProject({ name: 'tenant-b' });
      await store.createTask({ projectId: a.id, title: 'a1' });
      const before = await listing(store, { projectId: a.id });
      const storeBefore = await store.changeSequence();
      const inB: string[] = [];
      for (let i = 0; i < 7; i++) inB.push((await store.createTask({ projectId: b.id, title: `b${i}` })).id);
      await store.deleteTask({ projectId: b.id, id: inB[0] as string });
      await store.updateTask({ projectId: b.id, id: inB[1] as string }, { status: 'in_progress' });
      expect(await store.changeSequence()).toBe(storeBefore + 9);
      expect((await listing(store, { projectId: a.id })).sequence).toBe(before.sequence);
      expect(await store.changesSince({ projectId: a.id }, before.sequence)).toEqual({
        full: false,
        sequence: before.sequence,
        tasks: [],
        deletedIds: [],
      });
      await store.createTask({ projectId: a.id, title: 'a2' });
      expect((await listing(store, { projectId: a.id })).sequence).toBe(before.sequence + 1);
      expect(await store.changesSince({}, 0)).toEqual({
        full: true,
        why: 'changes are numbered per project: name a project or a branch to be told a delta',
      });
    });

    it('ids are counted per project: each project runs 1, 2, 3 and may hold what another holds', async () => {
      const { store } = await fresh();
      const { project: a } = await store.getOrCreateProject({ name: 'tenant-a' });
      const { project: b } = await store.getOrCreateProject({ name: 'tenant-b' });
      const idsOf = async (projectId: string, n: number): Promise<string[]> => {
        const ids: string[] = [];
        for (let i = 0; i < n; i++) ids.push((await store.createTask({ projectId, title: `t${i}` })).id);
        return ids;
      };
      expect(await idsOf(a.id, 2)).toEqual(['TASK-001', 'TASK-002']);
      // b's ids skip nothing a holds, and a's next skips nothing b took meanwhile.
      expect(await idsOf(b.id, 3)).toEqual(['TASK-001', 'TASK-002', 'TASK-003']);
      expect(await idsOf(a.id, 1)).toEqual(['TASK-003']);
      // An explicit id is refused only where its own project holds it.
      await store.createTask({ projectId: b.id, id: 'TASK-010', title: 'explicit' });
      expect((await store.createTask({ projectId: a.id, id: 'TASK-010', title: 'same id, other project' })).id).toBe(
        'TASK-010',
      );
      await expect(store.createTask({ projectId: a.id, id: 'TASK-010', title: 'again' })).rejects.toThrow(
        'Task already exists in tenant-a: TASK-010',
      );
      // By key each project's own; by id alone, refused while two projects hold it, naming them.
      expect((await store.getTask({ projectId: a.id, id: 'TASK-001' }))?.title).toBe('t0');
      expect((await store.getTask({ projectId: b.id, id: 'TASK-003' }))?.title).toBe('t2');
      await expect(store.getTask('TASK-001')).rejects.toThrow(
        'Task TASK-001 exists in 2 projects (tenant-a, tenant-b): pass project_id (one of tenant-a, tenant-b)',
      );
      expect((await store.taskProjects('TASK-002')).map((p) => p.name)).toEqual(['tenant-a', 'tenant-b']);
      expect((await store.taskProjects('TASK-099')).map((p) => p.name)).toEqual([]);
      await store.createTask({ projectId: b.id, id: 'TASK-050', title: 'only in b' });
      expect((await store.getTask('TASK-050'))?.projectId).toBe(b.id);
      // Notes, claims, dependencies and deletion reach the project named and no other.
      const a1 = { projectId: a.id, id: 'TASK-001' };
      const b1 = { projectId: b.id, id: 'TASK-001' };
      await store.addNote(a1, 'for a');
      expect((await store.listNotes(a1)).map((n) => n.text)).toEqual(['for a']);
      expect(await store.listNotes(b1)).toEqual([]);
      await store.claimTask({ taskId: b1, claimant: 'bee', leaseSeconds: 60 });
      expect((await store.getTask(a1))?.claimedBy).toBeNull();
      await store.addDependency({ projectId: a.id, id: 'TASK-002' }, 'TASK-001');
      await store.addDependency({ projectId: b.id, id: 'TASK-002' }, 'TASK-001');
      await expect(store.addDependency({ projectId: a.id, id: 'TASK-002' }, 'TASK-050')).rejects.toThrow(
        'Task not found: TASK-050',
      );
      await store.deleteTask(b1);
      expect(await store.getTask(b1)).toBeUndefined();
      expect((await store.getTask(a1))?.title).toBe('t0');
      expect((await store.listNotes(a1)).map((n) => n.text)).toEqual(['for a']);
      expect((await store.getTask({ projectId: a.id, id: 'TASK-002' }))?.dependencies).toEqual(['TASK-001']);
      expect((await store.getTask({ projectId: b.id, id: 'TASK-002' }))?.dependencies).toEqual([]);
      // a's TASK-002 waits on a's own TASK-001, not on a done task of that id elsewhere.
      await store.setStatus({ projectId: b.id, id: 'TASK-003' }, 'done');
      await store.setStatus(a1, 'done');
      expect((await store.nextTask({ projectId: a.id })).task?.id).toBe('TASK-002');
    });

    it('an export of two projects holding one id imports back whole, each task under its project', async () => {
      const { store } = await fresh();
      const { project: a } = await store.getOrCreateProject({ name: 'tenant-a' });
      const { project: b } = await store.getOrCreateProject({ name: 'tenant-b' });
      await store.createTask({ projectId: a.id, title: 'in a' });
      await store.createTask({ projectId: b.id, title: 'in b' });
      const data = await store.exportData();
      expect(data.tasks.map((t) => `${t.projectId === a.id ? 'a' : 'b'}:${t.id}`)).toEqual([
        'a:TASK-001',
        'b:TASK-001',
      ]);
      expect(await store.importData(data, { merge: true })).toMatchObject({
        added: { tasks: 0 },
        unchanged: data.projects.length + data.tasks.length + data.idCounters.length,
      });
      const changed = {
        ...data,
        tasks: data.tasks.map((t) => (t.projectId === b.id ? { ...t, title: 'b again' } : t)),
      };
      expect((await store.importData(changed, { merge: true, overwrite: true })).overwrites).toEqual([
        'task TASK-001 (title)',
      ]);
      expect((await store.getTask({ projectId: a.id, id: 'TASK-001' }))?.title).toBe('in a');
      expect((await store.getTask({ projectId: b.id, id: 'TASK-001' }))?.title).toBe('b again');
    });

    it('every write to a project or branch moves the change sequence, as task writes do', async () => {
      const { store, projectId, branchId } = await seeded();
      const steps: [string, () => Promise<unknown>][] = [
        ['create a project', () => store.createProject({ name: 'other' })],
        ['rename a project', () => store.updateProject(projectId, { name: 'renamed' })],
        ['create a branch', () => store.createBranch({ projectId, name: 'feature' })],
        ['rename a branch', () => store.updateBranch(branchId, { name: 'trunk' })],
        ['delete a branch', () => store.deleteBranch(branchId)],
      ];
      for (const [what, write] of steps) {
        const before = await store.changeSequence();
        await write();
        expect({ what, moved: (await store.changeSequence()) - before }).toEqual({ what, moved: 1 });
      }
      const before = await store.changeSequence();
      await store.getOrCreateProject({ name: 'other' });
      expect(await store.changeSequence()).toBe(before);
    });

    it('deltas: a sequence the store cannot answer from is answered full; the change feed carries the sequence', async () => {
      const { store, projectId } = await seeded();
      const heard: StoreChange[] = [];
      const undo = store.subscribeChanges((c) => heard.push(c));
      const t = await store.createTask({ projectId, title: 'counted' });
      const { sequence = 0 } = await store.listingScope({ project: projectId });
      await expect.poll(() => heard.find((c) => c.taskIds.includes(t.id))?.sequence).toBe(sequence);
      undo();
      expect(await store.changesSince({ projectId }, sequence + 5)).toEqual({
        full: true,
        why: `sequence ${sequence + 5} is ahead of this project's (${sequence}): another store or project`,
      });
      expect(await store.changesSince({ projectId }, sequence)).toEqual({
        full: false,
        sequence,
        tasks: [],
        deletedIds: [],
      });
      await store.deleteTask(t.id);
      expect(await store.changesSince({ projectId }, sequence)).toEqual({
        full: false,
        sequence: sequence + 1,
        tasks: [],
        deletedIds: [t.id],
      });
    });
  });
}
