// Kept listings: an answer is kept for the change sequence it was read at, so every write, a rename of the project
// or branch a listing names included, is in the next answer; and one sequence read serves the list calls that came
// while another was under way, never one that was sent before they came.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TaskStore } from '../../src/store/index.js';
import { freshSequence } from '../../src/server/listing-cache.js';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';
import { connectHttp, data, envelope, textOf, call } from './client.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

describe('kept listings through the reference server', () => {
  let server: ReferenceServer;
  let client: Client;
  beforeAll(async () => {
    server = await startReferenceServer();
    client = await connectHttp(server.url, server.token);
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });
  const list = (args: Record<string, unknown>) => envelope(client, 'manage_task', { action: 'list', ...args });
  const tracker = async (project: string) =>
    JSON.parse(textOf(await call(client, 'list_tasks', { project_id: project })));

  test('a task write, a project rename and a branch rename are each in the next answer', async () => {
    const { project } = await data(client, 'manage_project', { action: 'create', name: 'old' });
    const { git_branch: branch } = await data(client, 'manage_git_branch', {
      action: 'create',
      project_id: project.id,
      git_branch_name: 'main',
    });
    await data(client, 'manage_task', { action: 'create', git_branch_id: branch.id, title: 'first' });
    const first = await list({ project_id: 'old' });
    expect(await list({ project_id: 'old' })).toMatchObject({ data: first.data });
    expect(first.data.tasks.map((t: { title: string }) => t.title)).toEqual(['first']);
    expect((await tracker('old')).tasks[0]).toMatchObject({ project_id: 'old', title: 'first' });

    const task = first.data.tasks[0];
    await data(client, 'manage_task', { action: 'update', task_id: task.id, title: 'renamed task' });
    const second = await list({ project_id: 'old' });
    expect(second.data.sequence).toBeGreaterThan(first.data.sequence);
    expect(second.data.tasks[0].title).toBe('renamed task');

    await data(client, 'manage_project', { action: 'update', project_id: project.id, name: 'new' });
    const gone = await list({ project_id: 'old' });
    expect(gone).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
    expect((await list({ project_id: 'new' })).data.tasks[0].title).toBe('renamed task');
    expect((await tracker('old')).tasks).toEqual([]);
    expect((await tracker('new')).tasks[0]).toMatchObject({ project_id: 'new', title: 'renamed task' });

    const byBranch = await list({ git_branch_id: branch.id });
    expect(byBranch.data.tasks).toHaveLength(1);
    await data(client, 'manage_git_branch', { action: 'delete', project_id: project.id, git_branch_id: branch.id });
    expect(await list({ git_branch_id: branch.id })).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
  });

  test('monitors asking since one sequence share one read, and a later write is in the next delta', async () => {
    const { project } = await data(client, 'manage_project', { action: 'create', name: 'deltas' });
    await data(client, 'manage_git_branch', { action: 'create', project_id: project.id, git_branch_name: 'main' });
    const before = (await list({ project_id: 'deltas' })).data.sequence;
    await data(client, 'manage_task', { action: 'create', project_id: project.id, title: 'told once' });
    const store = server.store;
    const changesSince = store.changesSince.bind(store);
    let reads = 0;
    store.changesSince = (filter, since) => {
      reads++;
      return changesSince(filter, since);
    };
    try {
      const answers = await Promise.all(Array.from({ length: 8 }, () => list({ project_id: 'deltas', since: before })));
      expect(reads).toBe(1);
      for (const a of answers) {
        expect(a.data).toMatchObject({ full: false, since: before, deleted_task_ids: [] });
        expect(a.data.tasks.map((t: { title: string }) => t.title)).toEqual(['told once']);
      }
      await data(client, 'manage_task', { action: 'create', project_id: project.id, title: 'told next' });
      const next = await list({ project_id: 'deltas', since: before });
      expect(reads).toBe(2);
      expect(next.data.tasks.map((t: { title: string }) => t.title).sort()).toEqual(['told next', 'told once']);
    } finally {
      store.changesSince = changesSince;
    }
  });

  test('arguments refused are refused every time, in the order they always were', async () => {
    const bad = { project_id: 'nowhere', limit: 500 };
    for (let i = 0; i < 2; i++) expect(await list(bad)).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
    expect(await list({ limit: 500 })).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR' } });
  });
});

describe('freshSequence', () => {
  /** A store whose sequence reads are answered by the test, one by one. */
  function heldStore() {
    const pending: ((n: number) => void)[] = [];
    const store = { changeSequence: () => new Promise<number>((r) => pending.push(r)) } as unknown as TaskStore;
    return { store, pending };
  }

  test('calls that come while a read is under way share the next read, sent once it is answered', async () => {
    const { store, pending } = heldStore();
    const first = freshSequence(store);
    const second = freshSequence(store);
    const third = freshSequence(store);
    expect(pending).toHaveLength(1);
    pending[0]?.(1);
    expect(await first).toBe(1);
    await expect.poll(() => pending.length).toBe(2);
    pending[1]?.(2);
    expect(await second).toBe(2);
    expect(await third).toBe(2);
    // Nothing under way: the next call sends its own read at once.
    const fourth = freshSequence(store);
    expect(pending).toHaveLength(3);
    pending[2]?.(3);
    expect(await fourth).toBe(3);
  });

  test('a failed read fails its callers only; the next read is sent', async () => {
    const reads: ((n: number) => void)[] = [];
    const fails: ((e: Error) => void)[] = [];
    const store = {
      changeSequence: () =>
        new Promise<number>((resolve, reject) => {
          reads.push(resolve);
          fails.push(reject);
        }),
    } as unknown as TaskStore;
    const first = freshSequence(store);
    const second = freshSequence(store);
    fails[0]?.(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await expect.poll(() => reads.length).toBe(2);
    reads[1]?.(7);
    expect(await second).toBe(7);
  });
});
