// manage_task's rules over the synchronous store the CLI writes in process (the served tool runs them over the async
// one, test/server/identity.test.ts): the same changes whichever caller makes them. A real SQLite file in a temp dir.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStoreWrites, type StoreWrites } from '../../../src/store/tasks-db/writer.js';
import { claimTaskAs, createTaskAt, finishTask, updateTaskAs } from '../../../src/server/agenthub/task-rules.js';
import { tempDir } from '../../foundation/helpers.js';

let tmp: ReturnType<typeof tempDir>;
let db: StoreWrites;
let branchId: string;

beforeEach(() => {
  tmp = tempDir('th-task-rules-');
  db = openStoreWrites(path.join(tmp.dir, 'tasks.db'));
  const { project } = db.getOrCreateProject({ name: 'shop', description: '' });
  branchId = db.getOrCreateBranch({ projectId: project.id, name: 'main', description: '' }).branch.id;
});

afterEach(() => {
  db.close();
  tmp.remove();
});

describe('manage_task rules on the CLI store', () => {
  it('whoever starts an unassigned task is its assignee; an assigned task keeps its own; a local caller names no one', async () => {
    const a = await createTaskAt(db, { branchId }, { title: 'Fix login' });
    expect((await updateTaskAs(db, 'dana', { id: a.id, patch: { status: 'in_progress' } })).assignees).toEqual([
      'dana',
    ]);
    const b = await createTaskAt(db, { branchId }, { title: 'Refund flow', assignees: ['sam'] });
    expect((await updateTaskAs(db, 'dana', { id: b.id, patch: { status: 'in_progress' } })).assignees).toEqual(['sam']);
    const c = await createTaskAt(db, { branchId }, { title: 'Release notes' });
    expect((await updateTaskAs(db, undefined, { id: c.id, patch: { status: 'in_progress' } })).assignees).toEqual([]);
    const d = await createTaskAt(db, { branchId }, { title: 'Webhooks' });
    const claimed = await claimTaskAs(db, 'dana', { taskId: d.id, claimant: 'dana/s1', leaseSeconds: 60 });
    expect(claimed.assignees).toEqual(['dana']);
  });

  it('moves a task only to a branch of its own project', async () => {
    const task = await createTaskAt(db, { branchId }, { title: 'Fix login' });
    const other = db.getOrCreateProject({ name: 'blog', description: '' }).project;
    const elsewhere = db.getOrCreateBranch({ projectId: other.id, name: 'main', description: '' }).branch.id;
    await expect(updateTaskAs(db, undefined, { id: task.id, patch: {}, branchId: elsewhere })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      message: `git_branch_id ${elsewhere} belongs to another project than task ${task.id}`,
    });
    const sameProject = db.getOrCreateBranch({ projectId: task.projectId, name: 'feature', description: '' }).branch.id;
    expect((await updateTaskAs(db, undefined, { id: task.id, patch: {}, branchId: sameProject })).gitBranchId).toBe(
      sameProject,
    );
  });

  it('a new task needs a branch or project that exists; a finished one keeps what was said of it', async () => {
    await expect(createTaskAt(db, { branchId: 'nope' }, { title: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const task = await createTaskAt(db, { project: 'shop' }, { title: 'Fix login' });
    expect(task.gitBranchId).toBeNull();
    const done = await finishTask(db, task.id, { summary: 'shipped', testing: 'e2e green' });
    expect({ status: done.status, summary: done.completionSummary }).toEqual({
      status: 'done',
      summary: 'shipped\nTesting: e2e green',
    });
  });
});
