// Every action of manage_project, manage_git_branch and manage_task over real HTTP with the SDK client,
// including the exact envelope and the refusals.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';
import { call, connectHttp, data, envelope, textOf } from './client.js';

let server: ReferenceServer;
let client: Client;
let projectId: string;
let branchId: string;

beforeAll(async () => {
  server = await startReferenceServer();
  client = await connectHttp(server.url, server.token);
  projectId = (await data(client, 'manage_project', { action: 'create', name: 'webapp', description: 'the web app' }))
    .project.id;
  branchId = (
    await data(client, 'manage_git_branch', { action: 'create', project_id: projectId, git_branch_name: 'main' })
  ).git_branch.id;
});
afterAll(async () => {
  await client.close();
  await server.close();
});

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('envelope', () => {
  test('success: a JSON string in content[0].text with exactly the agenthub fields, isError false', async () => {
    const result = await call(client, 'manage_project', { action: 'list' });
    expect(result.isError).toBe(false);
    expect(result.content).toHaveLength(1);
    const env = JSON.parse(textOf(result));
    expect(Object.keys(env)).toEqual(['status', 'success', 'operation', 'operation_id', 'timestamp', 'data']);
    expect(env).toMatchObject({ status: 'success', success: true, operation: 'list' });
    expect(env.operation_id).toMatch(UUID);
    expect(env.timestamp).toMatch(ISO);
    expect(env.data.projects.map((p: { name: string }) => p.name)).toEqual(['webapp']);
  });

  test('failure: {status, success:false, error:{message, code, operation, timestamp}}', async () => {
    const result = await call(client, 'manage_task', { action: 'get', task_id: 'TASK-999' });
    const env = JSON.parse(textOf(result));
    expect(Object.keys(env)).toEqual(['status', 'success', 'error']);
    expect(env).toMatchObject({
      status: 'failure',
      success: false,
      error: { message: 'Task not found: TASK-999', code: 'NOT_FOUND', operation: 'get' },
    });
    expect(env.error.timestamp).toMatch(ISO);
  });

  test('an unknown action names the allowed ones', async () => {
    for (const tool of ['manage_task', 'manage_git_branch', 'manage_project']) {
      const env = await envelope(client, tool, { action: 'explode', project_id: projectId });
      expect(env.error.code).toBe('VALIDATION_ERROR');
      expect(env.error.message).toMatch(/Unknown action: 'explode'\. Allowed values: list, get/);
    }
  });
});

describe('manage_project', () => {
  test('create, get by id and by name, update, list; duplicates and missing fields refused', async () => {
    const created = await data(client, 'manage_project', { action: 'create', name: 'api', description: 'backend' });
    expect(created.project).toMatchObject({ name: 'api', description: 'backend' });
    expect(created.project.id).toMatch(UUID);
    expect((await data(client, 'manage_project', { action: 'get', project_id: created.project.id })).project.name).toBe(
      'api',
    );
    expect((await data(client, 'manage_project', { action: 'get', name: 'api' })).project.id).toBe(created.project.id);
    const updated = await data(client, 'manage_project', {
      action: 'update',
      project_id: created.project.id,
      description: 'the backend',
    });
    expect(updated.project.description).toBe('the backend');
    const listed = await data(client, 'manage_project', { action: 'list' });
    expect(listed.count).toBe(listed.projects.length);
    expect(listed.projects.map((p: { name: string }) => p.name)).toContain('api');

    // Get-or-create: a second create answers with the project that exists, and says so.
    const again = await data(client, 'manage_project', { action: 'create', name: 'api', description: 'ignored' });
    expect(again).toMatchObject({
      created: false,
      project: { id: created.project.id, description: 'the backend' },
      message: 'Project api already exists: answered with it',
    });
    expect((await envelope(client, 'manage_project', { action: 'create' })).error.message).toMatch(
      /Missing required field: name/,
    );
    expect((await envelope(client, 'manage_project', { action: 'get', project_id: 'nope' })).error).toMatchObject({
      code: 'NOT_FOUND',
      message: 'Project not found: nope',
    });
    expect(
      (await envelope(client, 'manage_project', { action: 'update', project_id: 'nope', name: 'x' })).error.code,
    ).toBe('NOT_FOUND');
  });
});

describe('manage_git_branch', () => {
  test('create, list as git_branchs, get by id and by name, update, delete', async () => {
    const created = await data(client, 'manage_git_branch', {
      action: 'create',
      project_id: projectId,
      git_branch_name: 'feature/login',
      git_branch_description: 'login form',
    });
    expect(created.git_branch).toMatchObject({
      name: 'feature/login',
      description: 'login form',
      project_id: projectId,
    });
    const listed = await data(client, 'manage_git_branch', { action: 'list', project_id: projectId });
    expect(listed.git_branchs.map((b: { name: string }) => b.name)).toEqual(['main', 'feature/login']);
    expect(listed.count).toBe(2);
    expect(
      (
        await data(client, 'manage_git_branch', {
          action: 'get',
          project_id: projectId,
          git_branch_id: created.git_branch.id,
        })
      ).git_branch.name,
    ).toBe('feature/login');
    expect(
      (await data(client, 'manage_git_branch', { action: 'get', project_id: projectId, git_branch_name: 'main' }))
        .git_branch.id,
    ).toBe(branchId);
    const updated = await data(client, 'manage_git_branch', {
      action: 'update',
      project_id: projectId,
      git_branch_id: created.git_branch.id,
      git_branch_description: 'login and logout',
    });
    expect(updated.git_branch.description).toBe('login and logout');
    expect(
      (
        await data(client, 'manage_git_branch', {
          action: 'delete',
          project_id: projectId,
          git_branch_id: created.git_branch.id,
        })
      ).deleted,
    ).toBe(true);
    expect(
      (await data(client, 'manage_git_branch', { action: 'list', project_id: projectId })).git_branchs,
    ).toHaveLength(1);
  });

  test('project_id is required for every action; unknown project and branch are refused; a duplicate create answers the branch', async () => {
    const missing = await envelope(client, 'manage_git_branch', { action: 'list' });
    expect(missing.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: 'Missing required field: project_id (required for action "list")',
    });
    expect((await envelope(client, 'manage_git_branch', { action: 'list', project_id: 'nope' })).error.message).toBe(
      'Project not found: nope',
    );
    expect(
      (await envelope(client, 'manage_git_branch', { action: 'get', project_id: projectId, git_branch_id: 'nope' }))
        .error.code,
    ).toBe('NOT_FOUND');
    expect(
      await data(client, 'manage_git_branch', { action: 'create', project_id: projectId, git_branch_name: 'main' }),
    ).toMatchObject({ created: false, git_branch: { id: branchId } });
    expect(
      (await envelope(client, 'manage_git_branch', { action: 'create', project_id: projectId })).error.message,
    ).toMatch(/git_branch_name/);
  });
});

describe('manage_task', () => {
  test('create answers data.task with the agenthub task fields', async () => {
    const d = await data(client, 'manage_task', {
      action: 'create',
      git_branch_id: branchId,
      title: 'Write the login form',
      description: 'fields and validation',
      details: 'use the design kit',
      priority: 'high',
      assignees: 'alice, bob',
      labels: ['ui'],
      estimated_effort: '2h',
      due_date: '2030-01-01',
    });
    expect(d.task).toMatchObject({
      title: 'Write the login form',
      description: 'fields and validation',
      details: 'use the design kit',
      git_branch_id: branchId,
      project_id: projectId,
      status: 'todo',
      priority: 'high',
      assignees: ['alice', 'bob'],
      labels: ['ui'],
      dependencies: [],
      subtasks: [],
      estimatedEffort: '2h',
      dueDate: '2030-01-01',
      progress_percentage: 0,
    });
    expect(d.task.id).toMatch(/^TASK-\d{3}$/);
    expect(d.task.created_at).toMatch(ISO);
  });

  test('create refuses a missing title, an unknown branch, a bad status or priority', async () => {
    expect(
      (await envelope(client, 'manage_task', { action: 'create', git_branch_id: branchId })).error.message,
    ).toMatch(/Missing required field: title/);
    expect((await envelope(client, 'manage_task', { action: 'create', title: 'x' })).error.message).toMatch(
      /Missing required field: git_branch_id/,
    );
    expect(
      (await envelope(client, 'manage_task', { action: 'create', title: 'x', git_branch_id: 'nope' })).error,
    ).toMatchObject({ code: 'NOT_FOUND' });
    const badStatus = await envelope(client, 'manage_task', {
      action: 'create',
      title: 'x',
      git_branch_id: branchId,
      status: 'finished',
    });
    expect(badStatus.error.message).toBe(
      "Invalid status: 'finished'. Allowed values: todo, in_progress, blocked, review, testing, done, cancelled",
    );
    const badPriority = await envelope(client, 'manage_task', {
      action: 'create',
      title: 'x',
      git_branch_id: branchId,
      priority: 'asap',
    });
    expect(badPriority.error.message).toBe(
      "Invalid priority: 'asap'. Allowed values: low, medium, high, urgent, critical",
    );
  });

  test('get, update, complete, delete; each refuses an unknown task_id', async () => {
    const { task } = await data(client, 'manage_task', {
      action: 'create',
      git_branch_id: branchId,
      title: 'Lifecycle',
    });
    expect((await data(client, 'manage_task', { action: 'get', task_id: task.id })).task.title).toBe('Lifecycle');
    const updated = await data(client, 'manage_task', {
      action: 'update',
      task_id: task.id,
      status: 'in_progress',
      title: 'Lifecycle 2',
    });
    expect(updated.task).toMatchObject({ status: 'in_progress', title: 'Lifecycle 2' });
    const done = await data(client, 'manage_task', {
      action: 'complete',
      task_id: task.id,
      completion_summary: 'shipped',
      testing_notes: 'unit tests',
    });
    expect(done.task).toMatchObject({
      status: 'done',
      progress_percentage: 100,
      completion_summary: 'shipped\nTesting: unit tests',
    });
    expect(done.task.completed_at).toMatch(ISO);
    // a closed task only reopens
    const bad = await envelope(client, 'manage_task', { action: 'update', task_id: task.id, status: 'in_progress' });
    expect(bad.error).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(bad.error.message).toMatch(/Invalid status transition: .* can only go to todo/);
    expect((await data(client, 'manage_task', { action: 'delete', task_id: task.id })).deleted).toBe(true);
    for (const action of ['get', 'update', 'complete', 'delete']) {
      const env = await envelope(client, 'manage_task', { action, task_id: task.id });
      expect(env.error).toMatchObject({ code: 'NOT_FOUND', message: `Task not found: ${task.id}`, operation: action });
    }
    expect((await envelope(client, 'manage_task', { action: 'get' })).error.message).toMatch(
      /Missing required field: task_id/,
    );
  });

  test('list filters by status, priority, assignees, labels, branch; paginates with limit/offset; limit is 1..100', async () => {
    const p = (await data(client, 'manage_project', { action: 'create', name: 'listing' })).project.id;
    const b = (await data(client, 'manage_git_branch', { action: 'create', project_id: p, git_branch_name: 'dev' }))
      .git_branch.id;
    const specs = [
      { title: 'a', priority: 'low', status: 'todo', labels: ['x'] },
      { title: 'b', priority: 'critical', status: 'in_progress', assignees: ['carol'] },
      { title: 'c', priority: 'medium', status: 'done' },
      { title: 'd', priority: 'high', status: 'blocked', labels: ['x', 'y'] },
    ];
    for (const s of specs) await data(client, 'manage_task', { action: 'create', git_branch_id: b, ...s });
    const all = await data(client, 'manage_task', { action: 'list', git_branch_id: b });
    expect(all.tasks.map((t: { title: string }) => t.title)).toEqual(['b', 'd', 'c', 'a']);
    expect(all).toMatchObject({ count: 4, total: 4 });
    const titles = async (args: Record<string, unknown>): Promise<string[]> =>
      (await data(client, 'manage_task', { action: 'list', git_branch_id: b, ...args })).tasks.map(
        (t: { title: string }) => t.title,
      );
    expect(await titles({ status: 'todo' })).toEqual(['a']);
    expect(await titles({ status: 'todo,in_progress' })).toEqual(['b', 'a']);
    expect(await titles({ priority: 'high' })).toEqual(['d']);
    expect(await titles({ assignees: ['carol'] })).toEqual(['b']);
    expect(await titles({ labels: 'x' })).toEqual(['d', 'a']);
    expect(await titles({ sort_by: 'title', sort_order: 'desc' })).toEqual(['d', 'c', 'b', 'a']);
    const page = await data(client, 'manage_task', { action: 'list', git_branch_id: b, limit: 2, offset: 1 });
    expect(page.tasks.map((t: { title: string }) => t.title)).toEqual(['d', 'c']);
    expect(page.pagination).toEqual({ limit: 2, offset: 1, has_more: true });
    expect((await data(client, 'manage_task', { action: 'list', project_id: p })).total).toBe(4);
    for (const limit of [0, 101]) {
      expect((await envelope(client, 'manage_task', { action: 'list', limit })).error.message).toBe(
        `Invalid limit: ${limit}. Allowed values: 1..100`,
      );
    }
    expect((await envelope(client, 'manage_task', { action: 'list', status: 'nope' })).error.message).toMatch(
      /Invalid status: 'nope'/,
    );
    expect((await envelope(client, 'manage_task', { action: 'list', sort_by: 'nope' })).error.message).toMatch(
      /Allowed values: created_at/,
    );
    expect((await envelope(client, 'manage_task', { action: 'list', git_branch_id: 'nope' })).error.code).toBe(
      'NOT_FOUND',
    );
  });

  test('search matches title, description, details and labels; query is required', async () => {
    await data(client, 'manage_task', {
      action: 'create',
      git_branch_id: branchId,
      title: 'Refactor',
      details: 'remove the zebra module',
    });
    const found = await data(client, 'manage_task', { action: 'search', query: 'zebra' });
    expect(found.tasks.map((t: { title: string }) => t.title)).toEqual(['Refactor']);
    expect(found).toMatchObject({ count: 1, query: 'zebra' });
    expect((await data(client, 'manage_task', { action: 'search', query: '100%' })).count).toBe(0);
    expect((await envelope(client, 'manage_task', { action: 'search' })).error.message).toMatch(
      /Missing required field: query/,
    );
  });

  test('add_dependency and remove_dependency', async () => {
    const a = (await data(client, 'manage_task', { action: 'create', git_branch_id: branchId, title: 'dep a' })).task
      .id;
    const b = (await data(client, 'manage_task', { action: 'create', git_branch_id: branchId, title: 'dep b' })).task
      .id;
    expect(
      (await data(client, 'manage_task', { action: 'add_dependency', task_id: b, dependency_id: a })).task.dependencies,
    ).toEqual([a]);
    expect(
      (await data(client, 'manage_task', { action: 'remove_dependency', task_id: b, dependency_id: a })).task
        .dependencies,
    ).toEqual([]);
    expect(
      (await envelope(client, 'manage_task', { action: 'add_dependency', task_id: b, dependency_id: 'TASK-999' })).error
        .message,
    ).toBe('Task not found: TASK-999');
    expect(
      (await envelope(client, 'manage_task', { action: 'add_dependency', task_id: b, dependency_id: b })).error.code,
    ).toBe('VALIDATION_ERROR');
  });
});

describe('next', () => {
  test('priority first, then in_progress before todo, then age; every dependency done; answers {has_next, next_item, message}', async () => {
    // Ids are counted per project and other tests' projects hold the same ones: each call names its project.
    const p = (await data(client, 'manage_project', { action: 'create', name: 'ordering' })).project.id;
    const b = (await data(client, 'manage_git_branch', { action: 'create', project_id: p, git_branch_name: 'main' }))
      .git_branch.id;
    const create = async (title: string, extra: Record<string, unknown> = {}): Promise<string> =>
      (await data(client, 'manage_task', { action: 'create', git_branch_id: b, title, ...extra })).task.id;
    const next = async (): Promise<Record<string, any>> =>
      (await data(client, 'manage_task', { action: 'next', git_branch_id: b, include_context: true })).task;

    expect(await next()).toEqual({
      has_next: false,
      next_item: null,
      context: null,
      message: 'No actionable tasks found',
    });
    const oldTodo = await create('old todo', { priority: 'high' });
    const newTodo = await create('new todo', { priority: 'high' });
    const base = await create('foundation', { priority: 'low' });
    const blockedByDeps = await create('critical but waits', { priority: 'critical', dependencies: [base] });
    await create('blocked status', { priority: 'critical', status: 'blocked' });
    await create('in review', { priority: 'critical', status: 'review' });

    let n = await next();
    expect(n.has_next).toBe(true);
    expect(n.next_item.id).toBe(oldTodo); // the critical one waits on an unfinished dependency; oldest high first
    expect(n.message).toBe('Next task: old todo');

    await data(client, 'manage_task', { action: 'update', task_id: newTodo, project_id: p, status: 'in_progress' });
    expect((await next()).next_item.id).toBe(newTodo); // same priority: in progress before todo

    await data(client, 'manage_task', { action: 'complete', task_id: base, project_id: p });
    expect((await next()).next_item.id).toBe(blockedByDeps); // its dependency is done now

    for (const id of [blockedByDeps, newTodo, oldTodo])
      await data(client, 'manage_task', { action: 'complete', task_id: id, project_id: p });
    n = await next();
    expect(n).toMatchObject({ has_next: false, next_item: null, message: 'No actionable tasks found' });

    const first = await create('first');
    await create('second', { dependencies: [first, 'TASK-404'] });
    await data(client, 'manage_task', { action: 'update', task_id: first, project_id: p, status: 'blocked' });
    n = await next();
    expect(n).toMatchObject({
      has_next: false,
      message: 'No actionable task: 1 open task(s) wait on unfinished dependencies',
    });
  });

  test('next without a branch looks at every task; a project scope narrows it', async () => {
    const p = (await data(client, 'manage_project', { action: 'create', name: 'scoped' })).project.id;
    const b = (await data(client, 'manage_git_branch', { action: 'create', project_id: p, git_branch_name: 'main' }))
      .git_branch.id;
    const id = (
      await data(client, 'manage_task', { action: 'create', git_branch_id: b, title: 'only here', priority: 'low' })
    ).task.id;
    expect((await data(client, 'manage_task', { action: 'next', project_id: p })).task.next_item.id).toBe(id);
    expect((await data(client, 'manage_task', { action: 'next' })).task.has_next).toBe(true);
  });
});
