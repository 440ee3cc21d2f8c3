// Work records through the TaskStore interface, run against each engine (store-sqlite.test.ts,
// store-postgres.test.ts): what a team's server keeps of a session is what a home's tasks.db keeps.
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskStore, WorkRecord } from '../../src/store/index.js';
import type { StoreFixture } from './store-suite.js';

const record = (over: Partial<WorkRecord>): WorkRecord => ({
  projectId: '',
  taskId: '',
  sessionId: 's-1',
  agent: 'Claude Code',
  branch: 'feature/pay',
  machine: 'dana-laptop',
  startedAt: '2026-11-27T09:00:00.000Z',
  endedAt: '2026-11-27T10:00:00.000Z',
  commits: [{ hash: '1d2e3f4', subject: 'Retry declined refunds once' }],
  uncommitted: ['refund.txt'],
  statusTo: 'in_progress',
  statusChanges: [{ status: 'in_progress', at: '2026-11-27T09:05:00.000Z' }],
  closingWords: 'Left off: the webhook still fails',
  ...over,
});

export function workRecordSuite(engine: string, open: () => Promise<StoreFixture>): void {
  describe(`work records on ${engine}`, () => {
    const fixtures: StoreFixture[] = [];
    afterEach(async () => {
      for (const f of fixtures.splice(0)) await f.close();
    });
    async function seeded(): Promise<{ store: TaskStore; projectId: string; ids: string[] }> {
      const f = await open();
      fixtures.push(f);
      const { project } = await f.store.getOrCreateProject({ name: 'shop', description: '' });
      const a = await f.store.createTask({ projectId: project.id, title: 'Refunds' });
      const b = await f.store.createTask({ projectId: project.id, title: 'Receipts' });
      return { store: f.store, projectId: project.id, ids: [a.id, b.id] };
    }

    it('keeps a record whole, replaces the same session’s but not its words, and lists the newest first', async () => {
      const { store, projectId, ids } = await seeded();
      const key = { projectId, id: ids[0] as string };
      const first = record({ projectId, taskId: key.id });
      await store.addWorkRecord(first);
      // The same session (same start) ending again: its record is replaced, not doubled; with no words of its own (a
      // SessionEnd after a Stop that had some), the earlier words stay.
      const later = {
        endedAt: '2026-11-27T10:30:00.000Z',
        statusChanges: [...first.statusChanges, { status: 'done', at: '2026-11-27T10:20:00.000Z' }],
      };
      await store.addWorkRecord({ ...first, ...later, closingWords: null });
      await store.addWorkRecord(
        record({ projectId, taskId: key.id, sessionId: 's-2', endedAt: '2026-11-27T12:00:00.000Z', commits: [] }),
      );
      const kept = await store.listWorkRecords(key);
      expect(kept.map((r) => [r.sessionId, r.endedAt])).toEqual([
        ['s-2', '2026-11-27T12:00:00.000Z'],
        ['s-1', '2026-11-27T10:30:00.000Z'],
      ]);
      expect(kept[1]).toEqual({ ...first, ...later });
      expect(kept[0]?.commits).toEqual([]);
    });

    it('answers a start the records of its branch or of its tasks, within the limit', async () => {
      const { store, projectId, ids } = await seeded();
      const [a, b] = ids as [string, string];
      await store.addWorkRecord(record({ projectId, taskId: a, sessionId: 'on-branch', branch: 'feature/pay' }));
      await store.addWorkRecord(
        record({ projectId, taskId: b, sessionId: 'elsewhere', branch: 'main', endedAt: '2026-11-27T11:00:00.000Z' }),
      );
      const onBranch = await store.recentWorkRecords({ projectId, branch: 'feature/pay', taskIds: [], limit: 3 });
      expect(onBranch.map((r) => r.sessionId)).toEqual(['on-branch']);
      const both = await store.recentWorkRecords({ projectId, branch: 'feature/pay', taskIds: [b], limit: 3 });
      expect(both.map((r) => r.sessionId)).toEqual(['elsewhere', 'on-branch']);
      expect(await store.recentWorkRecords({ projectId, branch: 'x', taskIds: [a, b], limit: 1 })).toHaveLength(1);
    });

    it('forgets a task’s records, and a deleted task takes its records with it', async () => {
      const { store, projectId, ids } = await seeded();
      const [a, b] = ids as [string, string];
      await store.addWorkRecord(record({ projectId, taskId: a }));
      await store.addWorkRecord(record({ projectId, taskId: a, sessionId: 's-2' }));
      await store.addWorkRecord(record({ projectId, taskId: b }));
      expect(await store.forgetWorkRecords({ projectId, id: a })).toBe(2);
      expect(await store.listWorkRecords({ projectId, id: a })).toEqual([]);
      await store.deleteTask({ projectId, id: b });
      expect(await store.recentWorkRecords({ projectId, branch: 'feature/pay', taskIds: [], limit: 9 })).toEqual([]);
    });
  });
}
