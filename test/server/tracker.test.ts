// The task-tracking tools and the tasks://pending resource over real HTTP, including 20 clients reserving ids at once.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';
import { call, connectHttp, textOf } from './client.js';

let server: ReferenceServer;
let client: Client;
const PROJECT = 'ai-agent-mcp-server';

beforeAll(async () => {
  server = await startReferenceServer();
  client = await connectHttp(server.url, server.token);
});
afterAll(async () => {
  await client.close();
  await server.close();
});

async function ok(name: string, args: Record<string, unknown>): Promise<any> {
  const result = await call(client, name, args);
  if (result.isError) throw new Error(`${name} failed: ${textOf(result)}`);
  return JSON.parse(textOf(result));
}

async function toolError(name: string, args: Record<string, unknown>): Promise<string> {
  const result = await call(client, name, args);
  expect(result.isError).toBe(true);
  return textOf(result);
}

describe('list_tasks', () => {
  test("answers the project's tasks with a sequence; with since, what changed after it", async () => {
    const { task_ids } = await ok('add_task', {
      tasks: [
        { project_id: 'listed', title: 'one' },
        { project_id: 'listed', title: 'two' },
      ],
    });
    const all = await ok('list_tasks', { project_id: 'listed' });
    expect(all.tasks.map((t: { title: string }) => t.title).sort()).toEqual(['one', 'two']);
    await ok('update_task_status', { task_id: task_ids[0], status: 'in_progress' });
    await ok('add_task', { tasks: [{ project_id: 'listed', title: 'three' }] });
    const delta = await ok('list_tasks', { project_id: 'listed', since: all.sequence });
    expect(delta).toMatchObject({ full: false, deleted_task_ids: [] });
    expect(delta.tasks.map((t: { title: string; status: string }) => `${t.title} ${t.status}`).sort()).toEqual([
      'one in_progress',
      'three pending',
    ]);
    expect(delta.sequence).toBeGreaterThan(all.sequence);
    expect(await ok('list_tasks', { project_id: 'listed', since: delta.sequence + 1 })).toMatchObject({ full: true });
  });
});

describe('add_task', () => {
  test('adds a batch with given and generated ids; answers {success, tasks_added, task_ids}', async () => {
    const answer = await ok('add_task', {
      tasks: [
        { task_id: 'TASK-046', project_id: PROJECT, description: 'Generate HLS-006' },
        {
          task_id: 'TASK-047',
          project_id: PROJECT,
          title: 'Review HLS-006',
          priority: 'high',
          dependencies: ['TASK-046'],
        },
        { project_id: PROJECT, title: 'Generated id' },
      ],
    });
    expect(answer).toEqual({ success: true, tasks_added: 3, task_ids: ['TASK-046', 'TASK-047', 'TASK-048'] });
  });

  test('all or none: a duplicate id, a bad status or a task without title or description adds nothing', async () => {
    const before = server.db.countTasks();
    expect(
      await toolError('add_task', {
        tasks: [
          { project_id: PROJECT, title: 'fine' },
          { task_id: 'TASK-046', project_id: PROJECT, title: 'dup' },
        ],
      }),
    ).toBe('Task already exists in ai-agent-mcp-server: TASK-046');
    expect(await toolError('add_task', { tasks: [{ project_id: PROJECT, title: 'x', status: 'finished' }] })).toMatch(
      /Invalid status: 'finished'\. Allowed values: pending/,
    );
    expect(await toolError('add_task', { tasks: [{ project_id: PROJECT }] })).toBe(
      'tasks[0] needs a title or a description',
    );
    expect(await toolError('add_task', { tasks: [{ project_id: PROJECT, title: 'x', priority: 'asap' }] })).toMatch(
      /Allowed values: low, medium/,
    );
    expect(await toolError('add_task', { tasks: [] })).toMatch(/Input validation error/);
    expect(server.db.countTasks()).toBe(before);
  });
});

describe('get_next_task and update_task_status', () => {
  test('the next pending task of the project, as a tracker task object; null when none', async () => {
    const next = await ok('get_next_task', { project_id: PROJECT, status_filter: 'pending' });
    // TASK-047 is more urgent but waits on TASK-046
    expect(next).toMatchObject({ task_id: 'TASK-046', project_id: PROJECT, status: 'pending', priority: 'medium' });
    expect(next.description).toBe('Generate HLS-006');
    expect(await ok('get_next_task', { project_id: 'no-such-project' })).toBeNull();
    expect(await ok('get_next_task', { project_id: PROJECT, status_filter: 'in_progress' })).toBeNull();
    expect(await toolError('get_next_task', { project_id: PROJECT, status_filter: 'someday' })).toMatch(
      /Invalid status: 'someday'/,
    );
  });

  test('in_progress then completed: completed_at and completion notes; unknown task and bad values are tool errors', async () => {
    const started = await ok('update_task_status', { task_id: 'TASK-046', status: 'in_progress' });
    expect(started).toMatchObject({ task_id: 'TASK-046', status: 'in_progress', completed_at: null });
    expect((await ok('get_next_task', { project_id: PROJECT, status_filter: 'in_progress' })).task_id).toBe('TASK-046');
    const done = await ok('update_task_status', { task_id: 'TASK-046', status: 'completed', completion_notes: 'Done' });
    expect(done).toMatchObject({ task_id: 'TASK-046', status: 'completed', completion_notes: 'Done' });
    expect(Date.parse(done.completed_at)).not.toBeNaN();
    // its dependent is actionable now
    expect((await ok('get_next_task', { project_id: PROJECT })).task_id).toBe('TASK-047');

    expect(await toolError('update_task_status', { task_id: 'TASK-999', status: 'completed' })).toBe(
      'Task not found: TASK-999',
    );
    expect(await toolError('update_task_status', { task_id: 'TASK-047', status: 'finished' })).toBe(
      "Invalid status: 'finished'. Allowed values: pending, in_progress, blocked, review, testing, completed, cancelled (also todo, done)",
    );
    expect(await toolError('update_task_status', { task_id: 'TASK-046', status: 'in_progress' })).toMatch(
      /^Invalid status transition: TASK-046 is done/,
    );
    expect((await ok('update_task_status', { task_id: 'TASK-046', status: 'pending' })).status).toBe('pending');
  });
});

describe('ids', () => {
  test('get_next_available_id is sequential per type and project: after 27 comes US-028', async () => {
    const project = 'ids-demo';
    const first = await ok('reserve_id_range', { artifact_type: 'US', count: 27, project_id: project });
    expect(first.reserved_ids.at(-1)).toBe('US-027');
    expect(textOf(await call(client, 'get_next_available_id', { artifact_type: 'US', project_id: project }))).toBe(
      'US-028',
    );
    expect(textOf(await call(client, 'get_next_available_id', { artifact_type: 'SPEC', project_id: project }))).toBe(
      'SPEC-001',
    );
    expect(textOf(await call(client, 'get_next_available_id', { artifact_type: 'US', project_id: 'other' }))).toBe(
      'US-001',
    );
    expect(await toolError('get_next_available_id', { artifact_type: 'us story', project_id: project })).toMatch(
      /Invalid artifact_type/,
    );
  });

  test('reserve_id_range answers {reservation_id, reserved_ids, expires_at}; count is 1..100', async () => {
    const project = 'reserve-demo';
    await ok('reserve_id_range', { artifact_type: 'US', count: 27, project_id: project });
    const r = await ok('reserve_id_range', { artifact_type: 'US', count: 6, project_id: project });
    expect(r.reserved_ids).toEqual(['US-028', 'US-029', 'US-030', 'US-031', 'US-032', 'US-033']);
    expect(r.reservation_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(r.expires_at)).toBeGreaterThan(Date.now());
    for (const count of [0, 101])
      expect(await toolError('reserve_id_range', { artifact_type: 'US', count, project_id: project })).toBe(
        `Invalid count: ${count}. Allowed values: 1..100`,
      );
  });

  test('an explicit TASK id moves the counter past it, so a generated one never collides', async () => {
    expect(textOf(await call(client, 'get_next_available_id', { artifact_type: 'TASK', project_id: PROJECT }))).toBe(
      'TASK-049',
    );
  });

  test('20 clients reserving at once: no duplicates, no gaps inside a reservation, nothing lost', async () => {
    const clients = await Promise.all(Array.from({ length: 20 }, () => connectHttp(server.url, server.token)));
    try {
      const answers = await Promise.all(
        clients.map(async (c, i) => {
          const result = await call(c, 'reserve_id_range', {
            artifact_type: 'REQ',
            count: (i % 5) + 1,
            project_id: 'race',
          });
          const single = await call(c, 'get_next_available_id', { artifact_type: 'REQ', project_id: 'race' });
          return { range: JSON.parse(textOf(result)).reserved_ids as string[], single: textOf(single) };
        }),
      );
      const numbers = (ids: string[]): number[] => ids.map((id) => Number(id.slice('REQ-'.length)));
      for (const a of answers) {
        const n = numbers(a.range);
        expect(n).toEqual(Array.from({ length: n.length }, (_, k) => n[0]! + k));
      }
      const all = numbers(answers.flatMap((a) => [...a.range, a.single]));
      expect(new Set(all).size).toBe(all.length);
      const expectedTotal = answers.reduce((s, a) => s + a.range.length + 1, 0);
      expect([...all].sort((x, y) => x - y)).toEqual(Array.from({ length: expectedTotal }, (_, k) => k + 1));
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });
});

describe('tasks://pending', () => {
  test('lists open tasks most urgent first as JSON', async () => {
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toContain('tasks://pending');
    const read = await client.readResource({ uri: 'tasks://pending' });
    const first = read.contents[0] as { mimeType?: string; text: string };
    expect(first.mimeType).toBe('application/json');
    const body = JSON.parse(first.text) as { tasks: { id: string; status: string }[]; count: number };
    expect(body.count).toBe(body.tasks.length);
    expect(body.tasks.every((t) => !['done', 'cancelled'].includes(t.status))).toBe(true);
    expect(body.tasks[0]?.id).toBe('TASK-047'); // high before medium
  });
});
