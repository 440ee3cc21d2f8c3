// Work records in tasks.db: kept per task and session, newest first, read by branch or task, gone with the task or
// when forgotten, and read alike by the read-only reader a session start uses.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTaskDb, type TaskDb, type WorkRecord } from '../../src/store/index.js';
import { readStore } from '../../src/store/tasks-db/reader.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function store(): { db: TaskDb; file: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-work-'));
  const file = path.join(dir, 'tasks.db');
  const db = openTaskDb(file);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => db.close());
  return { db, file };
}

function record(over: Partial<WorkRecord> & Pick<WorkRecord, 'projectId' | 'taskId'>): WorkRecord {
  return {
    sessionId: 's1',
    agent: 'Claude Code',
    branch: 'main',
    machine: 'box',
    startedAt: '2026-11-28T08:00:00.000Z',
    endedAt: '2026-11-28T09:00:00.000Z',
    commits: [{ hash: '1d2e3f4', subject: 'Retry declined refunds once' }],
    uncommitted: ['refund.txt'],
    statusTo: 'in_progress',
    statusChanges: [],
    closingWords: 'Left off: the refund webhook still fails.',
    ...over,
  };
}

describe('work records', () => {
  it('keeps a record per session and task, replacing a session’s own on its next end, newest first', () => {
    const { db } = store();
    const shop = db.ensureProject('shop');
    const t = db.createTask({ projectId: shop.id, title: 'Retry refunds' });
    const key = { projectId: shop.id, id: t.id };
    db.addWorkRecord(record({ projectId: shop.id, taskId: t.id }));
    db.addWorkRecord(record({ projectId: shop.id, taskId: t.id, endedAt: '2026-11-28T09:30:00.000Z', commits: [] }));
    db.addWorkRecord(
      record({
        projectId: shop.id,
        taskId: t.id,
        sessionId: 's2',
        endedAt: '2026-11-28T10:00:00.000Z',
        agent: 'Codex',
      }),
    );
    const records = db.listWorkRecords(key);
    expect(records.map((r) => [r.sessionId, r.endedAt, r.commits.length])).toEqual([
      ['s2', '2026-11-28T10:00:00.000Z', 1],
      ['s1', '2026-11-28T09:30:00.000Z', 0],
    ]);
    expect(records[0]).toMatchObject({ agent: 'Codex', uncommitted: ['refund.txt'], closingWords: expect.any(String) });
  });

  it('reads a project’s records by branch or by task, never another project’s', () => {
    const { db, file } = store();
    const shop = db.ensureProject('shop');
    const api = db.ensureProject('api');
    const a = db.createTask({ projectId: shop.id, title: 'On main' });
    const b = db.createTask({ projectId: shop.id, title: 'Elsewhere' });
    const c = db.createTask({ projectId: shop.id, title: 'Untouched' });
    const other = db.createTask({ projectId: api.id, title: 'Another project' });
    db.addWorkRecord(record({ projectId: shop.id, taskId: a.id, endedAt: '2026-11-28T09:00:00.000Z' }));
    db.addWorkRecord(
      record({ projectId: shop.id, taskId: b.id, branch: 'feature/x', endedAt: '2026-11-28T10:00:00.000Z' }),
    );
    db.addWorkRecord(
      record({ projectId: shop.id, taskId: c.id, branch: 'feature/y', endedAt: '2026-11-28T11:00:00.000Z' }),
    );
    db.addWorkRecord(record({ projectId: api.id, taskId: other.id, endedAt: '2026-11-28T12:00:00.000Z' }));
    const query = { projectId: shop.id, branch: 'main', taskIds: [b.id], limit: 3 };
    expect(db.recentWorkRecords(query).map((r) => r.taskId)).toEqual([b.id, a.id]);
    // The read-only reader of a session start answers the same.
    expect(readStore(file, (reads) => reads.recentWorkRecords(query).map((r) => r.taskId))).toEqual([b.id, a.id]);
    expect(db.recentWorkRecords({ ...query, limit: 1 })).toHaveLength(1);
  });

  it('forgets a task’s records, and a deleted task takes its records with it', () => {
    const { db } = store();
    const shop = db.ensureProject('shop');
    const kept = db.createTask({ projectId: shop.id, title: 'Kept' });
    const forgotten = db.createTask({ projectId: shop.id, title: 'Forgotten' });
    const deleted = db.createTask({ projectId: shop.id, title: 'Deleted' });
    for (const t of [kept, forgotten, deleted]) db.addWorkRecord(record({ projectId: shop.id, taskId: t.id }));
    expect(db.forgetWorkRecords({ projectId: shop.id, id: forgotten.id })).toBe(1);
    db.deleteTask({ projectId: shop.id, id: deleted.id });
    expect(db.listWorkRecords({ projectId: shop.id, id: forgotten.id })).toEqual([]);
    expect(db.listWorkRecords({ projectId: shop.id, id: deleted.id })).toEqual([]);
    expect(db.listWorkRecords({ projectId: shop.id, id: kept.id })).toHaveLength(1);
  });
});
