// The built PostToolUse hook as Claude Code runs it, against a cache seeded with a snapshot: answers that say what
// changed patch it, the rest mark it stale, other tools load nothing.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { readSnapshot, readSnapshotBrief, type TaskSnapshot } from '../../../src/cache/snapshots.js';
import type { TaskDb } from '../../../src/server/index.js';
import {
  demoProject,
  startTelling,
  postToolUseInput,
  preToolUseInput,
  ROOMY_DEADLINES,
  ROOMY_SOURCE_TIMEOUT_MS,
  runHook,
  runHookHere,
  seedSnapshot,
  sessionStartInput,
  task,
  withHomeCache,
  unmarked,
  type HookRun,
} from '../../helpers/hooks.js';
import { startReferenceServer, type ReferenceServer } from '../../helpers/reference-server.js';
import { call, connectHttp } from '../../server/client.js';
import { peer } from '../../helpers/peers.js';

const AGENTHUB = 'http://127.0.0.1:9/mcp';
const TASKMASTER = 'stdio:task-master-ai';
const SOURCES = {
  agenthub: { config: { source: { servers: [AGENTHUB] } }, key: AGENTHUB },
  tracker: { config: { source: { adapter: 'tracker', servers: [AGENTHUB] } }, key: AGENTHUB },
  taskmaster: { config: { source: { adapter: 'taskmaster' } }, key: TASKMASTER },
  embedded: { config: {}, key: 'embedded' },
} as const;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(source: keyof typeof SOURCES = 'agenthub', seed = true) {
  const project = demoProject({ config: SOURCES[source].config });
  cleanups.push(project.cleanup);
  const key = SOURCES[source].key;
  if (seed) {
    seedSnapshot(project.home, {
      sourceKey: key,
      project: 'demo',
      branch: 'main',
      tasks: [
        task('T-1', { status: 'in_progress', title: 'Refactor the parser' }),
        task('T-2', { title: 'Add login form' }),
        task('T-3'),
      ],
      next: task('T-2', { title: 'Add login form' }),
    });
  }
  const snapshot = (): TaskSnapshot | undefined =>
    withHomeCache(project.home, (s) => readSnapshot(s, { sourceKey: key, project: 'demo', branch: 'main' }));
  // In this process unless a test asks for the built entry's.
  const post = (tool: string, toolInput: Record<string, unknown>, response: unknown, runner = runHookHere) =>
    runner('post-tool-use', postToolUseInput(project.repo.dir, tool, toolInput, response), { home: project.home });
  const edit = (session: string) =>
    runHookHere(
      'pre-tool-use',
      preToolUseInput(project.repo.dir, 'Edit', { file_path: path.join(project.repo.dir, 'a.ts') }, session),
      { home: project.home },
    );
  const refreshRequested = () => existsSync(path.join(project.home, 'signals', 'refresh'));
  const hooksLog = () => {
    const file = path.join(project.home, 'logs', 'hooks.log');
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  };
  return { ...project, key, snapshot, post, edit, refreshRequested, hooksLog };
}

/** The agenthub answer: its envelope as a JSON string in the first text content. */
const agenthub = (data: Record<string, unknown>) => [
  {
    type: 'text',
    text: JSON.stringify({
      status: 'success',
      success: true,
      operation: 'update',
      operation_id: 'op-1',
      timestamp: '2026-01-01T00:00:00Z',
      data,
    }),
  },
];
const agenthubTask = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  title: `Task ${id}`,
  status: 'todo',
  priority: 'medium',
  git_branch_id: 'b-1',
  ...over,
});

/** Exit 0, nothing on stdout or stderr: what every PostToolUse run must look like. */
function expectSilent(run: HookRun): void {
  expect([run.code, run.signal, run.stdout, run.stderr]).toEqual([0, null, '', '']);
}

const ids = (snap: TaskSnapshot | undefined) => snap?.tasks.map((t) => `${t.id}:${t.status}`);
const reminderOf = (run: HookRun) => unmarked(run.output?.hookSpecificOutput.additionalContext ?? '');

describe('PostToolUse on other tools', () => {
  const others: Array<[string, Record<string, unknown>]> = [
    ['Read', { file_path: '/tmp/a.ts' }],
    ['Bash', { command: 'git commit -am x' }],
    ['mcp__github__create_issue', { title: 'x' }],
    ['mcp__tasks__get_next_task', { project_id: 'demo' }],
    ['mcp__tasks__manage_task', { action: 'list' }],
    ['mcp__tasks__manage_task', { action: 'get', task_id: 'T-1' }],
    ['manage_task', { action: 'update', task_id: 'T-1', status: 'done' }],
  ];

  it('exit before loading anything: no cache created, no log line, no refresh asked', async () => {
    const h = setup('agenthub', false);
    // A commit goes on for another agent's reminder after the call (Claude Code's PostToolUse hears MCP tools only).
    for (const [tool, input] of others.filter(([tool]) => tool !== 'Bash'))
      expectSilent(await h.post(tool, input, agenthub({ task: agenthubTask('T-1', { status: 'done' }) }), runHook));
    expect(readdirSync(h.home)).toEqual(['config.json']);
  });

  it('leave a seeded snapshot exactly as it was', async () => {
    const h = setup();
    const before = h.snapshot();
    for (const [tool, input] of others)
      expectSilent(await h.post(tool, input, agenthub({ task: agenthubTask('T-1', { status: 'done' }) })));
    expect(h.snapshot()).toEqual(before);
    expect([h.refreshRequested(), h.hooksLog()]).toEqual([false, '']);
  });
});

describe('PostToolUse patches the snapshot where the answer says what changed', () => {
  it('an update and a complete: statuses, title and priority at once, and the next PreToolUse names the task now in progress', async () => {
    const h = setup();
    expect(reminderOf(await h.edit('s1'))).toContain('T-1 "Refactor the parser"');
    const before = h.snapshot();

    const update = agenthub({
      task: agenthubTask('T-2', { status: 'in_progress', title: 'Add the login form', priority: 'high' }),
      message: 'Task T-2 updated',
    });
    expectSilent(
      await h.post('mcp__agenthub__manage_task', { action: 'update', task_id: 'T-2', status: 'in_progress' }, update),
    );
    const complete = agenthub({ task: agenthubTask('T-1', { status: 'done' }), message: 'Task T-1 completed' });
    expectSilent(
      await h.post(
        'mcp__agenthub__manage_task',
        { action: 'complete', task_id: 'T-1', completion_summary: 'ok' },
        complete,
      ),
    );

    const after = h.snapshot();
    expect(ids(after)).toEqual(['T-2:in_progress', 'T-3:todo']);
    expect(after?.tasks[0]).toMatchObject({ title: 'Add the login form', priority: 'high' });
    expect(after?.next).toMatchObject({ id: 'T-2', status: 'in_progress' });
    // A patch is not a fetch: the snapshot keeps its age and is not stale.
    expect([after?.fetchedAt, after?.staleSince]).toEqual([before?.fetchedAt, undefined]);
    expect(h.refreshRequested()).toBe(true);

    const next = await h.edit('s1');
    expect(reminderOf(next)).toBe(
      '[taskhooks] Task in progress on branch main: T-2 "Add the login form" (status in_progress). Keep this change within it, or update the task when the work moves on.',
    );
  });

  it('a delete takes the task out, whether the answer or only the call names it', async () => {
    const h = setup();
    expectSilent(
      await h.post(
        'mcp__agenthub__manage_task',
        { action: 'delete', task_id: 'T-3' },
        agenthub({ task_id: 'T-3', deleted: true }),
      ),
    );
    expectSilent(await h.post('mcp__agenthub__manage_task', { action: 'delete', task_id: 'T-2' }, agenthub({})));
    expect(ids(h.snapshot())).toEqual(['T-1:in_progress']);
    expect(h.snapshot()?.next).toBeNull();
    expect(h.snapshot()?.staleSince).toBeUndefined();
  });

  const envelope = JSON.stringify({ success: true, data: { task: agenthubTask('T-2', { status: 'in_progress' }) } });
  it.each([
    ['content blocks', [{ type: 'text', text: envelope }]],
    ['a CallToolResult', { content: [{ type: 'text', text: envelope }], isError: false }],
    [
      'a CallToolResult with structured content',
      { content: [{ type: 'text', text: 'updated' }], structuredContent: JSON.parse(envelope) },
    ],
    ['structured content alone', JSON.parse(envelope)],
    ['the text alone', envelope],
  ])('reads the answer handed over as %s', async (_shape, response) => {
    const h = setup();
    expectSilent(
      await h.post('mcp__agenthub__manage_task', { action: 'update', task_id: 'T-2', status: 'in_progress' }, response),
    );
    expect(ids(h.snapshot())).toEqual(['T-1:in_progress', 'T-2:in_progress', 'T-3:todo']);
    expect(h.snapshot()?.staleSince).toBeUndefined();
  });
});

describe('PostToolUse marks the snapshot stale where the answer does not say enough', () => {
  it('a create, a dependency change, a status change of a task it does not hold', async () => {
    for (const [input, response] of [
      [{ action: 'create', title: 'New' }, agenthub({ task: agenthubTask('T-9') })],
      [{ action: 'add_dependency', task_id: 'T-2', dependency_id: 'T-3' }, agenthub({ task: agenthubTask('T-2') })],
      [{ action: 'update', task_id: 'T-9', status: 'todo' }, agenthub({ task: agenthubTask('T-9') })],
    ] as const) {
      const h = setup();
      const before = h.snapshot();
      expectSilent(await h.post('mcp__agenthub__manage_task', input, response));
      const after = h.snapshot();
      expect(after?.tasks).toEqual(before?.tasks);
      expect(after?.staleSince).toEqual(expect.any(Number));
      expect(
        withHomeCache(h.home, (s) => readSnapshotBrief(s, { sourceKey: h.key, project: 'demo', branch: 'main' }))
          ?.stale,
      ).toBe(true);
      expect(h.refreshRequested()).toBe(true);
      expect(h.hooksLog()).not.toMatch(/"level":(40|50)/);
    }
  });

  it.each([
    ['text that is not JSON', 'Task updated!', true],
    ['a number', 42, true],
    ['no tool_response at all', undefined, true],
    ['content without text', [{ type: 'image', data: 'AAAA', mimeType: 'image/png' }], true],
    ['an envelope of another shape', [{ type: 'text', text: '{"ok":true}' }], true],
    ['a status agenthub does not have', agenthub({ task: agenthubTask('T-2', { status: 'finished' }) }), true],
    ['a task without an id', agenthub({ task: { status: 'done' } }), true],
    ['isError', { content: [{ type: 'text', text: 'Task not found: T-2' }], isError: true }, false],
    [
      'a failure envelope',
      [
        {
          type: 'text',
          text: JSON.stringify({
            status: 'failure',
            success: false,
            error: { message: 'Invalid status transition', code: 'INVALID_TRANSITION' },
          }),
        },
      ],
      false,
    ],
  ])('%s: stale, exit 0, nothing on stdout', async (_label, response, warned) => {
    const h = setup();
    const before = h.snapshot();
    expectSilent(
      await h.post('mcp__agenthub__manage_task', { action: 'update', task_id: 'T-2', status: 'in_progress' }, response),
    );
    expect(h.snapshot()).toEqual({ ...before, staleSince: expect.any(Number) });
    expect(h.refreshRequested()).toBe(true);
    expect(/"level":40.*snapshot marked stale, the next hook fetches live/.test(h.hooksLog())).toBe(warned);
  });

  it('stdin that is not JSON: nothing, exit 0, logged', async () => {
    const h = setup();
    const before = h.snapshot();
    const run = await runHook('post-tool-use', '{"tool_name": "mcp__a__manage_task", ', { home: h.home });
    expectSilent(run);
    expect(h.hooksLog()).toMatch(/post-tool-use: stdin is not JSON/);
    expect(h.snapshot()).toEqual(before);
  });
});

describe("PostToolUse follows the configured source's tools, whatever the server is called", () => {
  const tmAnswer = (taskId: string, newStatus: string) => [
    {
      type: 'text',
      text: JSON.stringify(
        {
          data: {
            message: `Successfully updated 1 task(s) to "${newStatus}"`,
            tasks: [{ success: true, oldStatus: 'pending', newStatus, taskId }],
          },
          version: { version: '0.43.1' },
          tag: 'master',
        },
        null,
        2,
      ),
    },
  ];
  const trackerAnswer = (taskId: string, status: string) => [
    {
      type: 'text',
      text: JSON.stringify({
        task_id: taskId,
        project_id: 'demo',
        title: `Task ${taskId}`,
        status,
        priority: 'medium',
      }),
    },
  ];
  const managed = agenthub({ task: agenthubTask('T-2', { status: 'in_progress' }) });

  it('Task Master: set_task_status patches; manage_task and update_task_status do nothing', async () => {
    const h = setup('taskmaster');
    const before = h.snapshot();
    expectSilent(
      await h.post(
        'mcp__task-master-ai__manage_task',
        { action: 'update', task_id: 'T-2', status: 'in_progress' },
        managed,
      ),
    );
    expectSilent(
      await h.post(
        'mcp__task-master-ai__update_task_status',
        { task_id: 'T-2', status: 'in_progress' },
        trackerAnswer('T-2', 'in_progress'),
      ),
    );
    expect(h.snapshot()).toEqual(before);
    expect([h.refreshRequested(), h.hooksLog()]).toEqual([false, '']);

    expectSilent(
      await h.post(
        'mcp__taskmaster__set_task_status',
        { id: 'T-2', status: 'in-progress', projectRoot: h.repo.dir },
        tmAnswer('T-2', 'in-progress'),
      ),
    );
    expectSilent(
      await h.post(
        'mcp__taskmaster__set_task_status',
        { id: 'T-3', status: 'deferred', projectRoot: h.repo.dir },
        tmAnswer('T-3', 'deferred'),
      ),
    );
    expect(ids(h.snapshot())).toEqual(['T-1:in_progress', 'T-2:in_progress', 'T-3:blocked']);
    expect(h.snapshot()?.staleSince).toBeUndefined();
    // A subtask is not in the snapshot, and its parent's status may follow it: stale.
    expectSilent(
      await h.post(
        'mcp__taskmaster__set_task_status',
        { id: 'T-2.1', status: 'done', projectRoot: h.repo.dir },
        tmAnswer('T-2.1', 'done'),
      ),
    );
    expect(h.snapshot()?.staleSince).toEqual(expect.any(Number));
  });

  it('the tracker: update_task_status patches in its own words (completed is done); add_task marks stale; manage_task does nothing', async () => {
    const h = setup('tracker');
    const before = h.snapshot();
    expectSilent(
      await h.post('mcp__tracking__manage_task', { action: 'update', task_id: 'T-2', status: 'in_progress' }, managed),
    );
    expect(h.snapshot()).toEqual(before);
    expectSilent(
      await h.post(
        'mcp__tracking__update_task_status',
        { task_id: 'T-1', status: 'completed' },
        trackerAnswer('T-1', 'completed'),
      ),
    );
    expectSilent(
      await h.post(
        'mcp__tracking__update_task_status',
        { task_id: 'T-3', status: 'in_progress' },
        trackerAnswer('T-3', 'in_progress'),
      ),
    );
    expect(ids(h.snapshot())).toEqual(['T-2:todo', 'T-3:in_progress']);
    expect(h.snapshot()?.staleSince).toBeUndefined();
    expectSilent(
      await h.post(
        'mcp__tracking__add_task',
        { tasks: [{ project_id: 'demo', title: 'New' }] },
        trackerAnswer('T-9', 'pending'),
      ),
    );
    expect(h.snapshot()?.staleSince).toEqual(expect.any(Number));
  });

  it('the embedded store: both its tool families count, under the name install gives it or any other; set_task_status does not', async () => {
    const h = setup('embedded');
    const before = h.snapshot();
    expectSilent(await h.post('mcp__tasks__set_task_status', { id: 'T-2', status: 'done' }, tmAnswer('T-2', 'done')));
    expect(h.snapshot()).toEqual(before);
    expectSilent(
      await h.post('mcp__taskhooks__manage_task', { action: 'update', task_id: 'T-2', status: 'in_progress' }, managed),
    );
    expectSilent(
      await h.post(
        'mcp__plugin_taskhooks_tasks__update_task_status',
        { task_id: 'T-1', status: 'completed' },
        trackerAnswer('T-1', 'completed'),
      ),
    );
    expect(ids(h.snapshot())).toEqual(['T-2:in_progress', 'T-3:todo']);
  });
});

describe('PostToolUse fed the answers of real servers', () => {
  function seedDemo(db: TaskDb): void {
    const p = db.ensureProject('demo');
    const b = db.ensureBranch(p.id, 'main');
    db.createTask({
      projectId: p.id,
      gitBranchId: b.id,
      title: 'Write the checkout page',
      priority: 'high',
      status: 'in_progress',
    });
    db.createTask({ projectId: p.id, gitBranchId: b.id, title: 'Refactor the cart', priority: 'low' });
  }

  async function referenceServer(): Promise<ReferenceServer> {
    const ref = await startReferenceServer({ seed: seedDemo });
    cleanups.push(() => ref.close());
    return ref;
  }

  it('agenthub: manage_task through an MCP client as Claude calls it, its CallToolResult to the hook, then PreToolUse names the task', async () => {
    const ref = await referenceServer();
    const project = demoProject({
      config: {
        source: { servers: [ref.url], timeoutMs: ROOMY_SOURCE_TIMEOUT_MS },
        auth: { token: ref.token },
        hooks: ROOMY_DEADLINES,
      },
    });
    cleanups.push(project.cleanup);
    const { repo, home } = project;
    // The snapshot as a session finds it: fetched live from the server at session start.
    const start = await startTelling('Write the checkout page', sessionStartInput(repo.dir), { home });
    expect(start.output?.hookSpecificOutput.additionalContext).toContain('Write the checkout page');
    const tasks =
      withHomeCache(home, (s) => readSnapshot(s, { sourceKey: ref.url, project: 'demo', branch: 'main' }))?.tasks ?? [];
    const [checkout, cart] = ['Write the checkout page', 'Refactor the cart'].map(
      (title) => tasks.find((t) => t.title === title)?.id as string,
    );

    const client = await connectHttp(ref.url, ref.token);
    cleanups.push(() => client.close());
    for (const args of [
      { action: 'complete', task_id: checkout, completion_summary: 'shipped' },
      { action: 'update', task_id: cart, status: 'in_progress', title: 'Refactor the cart store' },
    ]) {
      const result = await call(client, 'manage_task', args);
      expectSilent(
        await runHookHere('post-tool-use', postToolUseInput(repo.dir, 'mcp__agenthub__manage_task', args, result), {
          home,
        }),
      );
    }
    const snap = withHomeCache(home, (s) => readSnapshot(s, { sourceKey: ref.url, project: 'demo', branch: 'main' }));
    expect(snap?.tasks.map((t) => [t.id, t.status, t.title])).toEqual([
      [cart, 'in_progress', 'Refactor the cart store'],
    ]);
    expect(snap?.staleSince).toBeUndefined();

    const edit = await runHookHere(
      'pre-tool-use',
      preToolUseInput(repo.dir, 'Edit', { file_path: path.join(repo.dir, 'cart.ts') }),
      { home },
    );
    expect(reminderOf(edit)).toContain(`${cart} "Refactor the cart store" (status in_progress)`);
  });

  it('the tracker tools of the same server: update_task_status patches in the answer of the real thing', async () => {
    const ref = await referenceServer();
    const h = setup('tracker', false);
    const projectTasks = ref.db.listTasks({ projectId: ref.db.ensureProject('demo').id, limit: 10, offset: 0 }).tasks;
    const cart = projectTasks.find((t) => t.title === 'Refactor the cart');
    if (!cart) throw new Error('seeded task missing');
    seedSnapshot(h.home, {
      sourceKey: h.key,
      project: 'demo',
      branch: 'main',
      tasks: [task(cart.id, { title: cart.title })],
      next: null,
    });

    const client = await connectHttp(ref.url, ref.token);
    cleanups.push(() => client.close());
    const args = { task_id: cart.id, status: 'in_progress' };
    const result = await call(client, 'update_task_status', args);
    expectSilent(await h.post('mcp__tracking__update_task_status', args, result));
    expect(ids(h.snapshot())).toEqual([`${cart.id}:in_progress`]);
  });

  it('Task Master: set_task_status over stdio, its answer to the hook', async () => {
    const h = setup('taskmaster', false);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'th-post-tm-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(path.join(dir, '.taskmaster', 'tasks'), { recursive: true });
    const tmTask = (id: number, title: string, status: string) => ({
      id,
      title,
      description: title,
      status,
      priority: 'high',
      dependencies: [],
      details: '',
      testStrategy: '',
      subtasks: [],
    });
    const tasksFile = {
      master: {
        tasks: [tmTask(1, 'Set up repo', 'pending'), tmTask(2, 'Write parser', 'pending')],
        metadata: { created: new Date().toISOString(), description: 'test' },
      },
    };
    writeFileSync(path.join(dir, '.taskmaster', 'tasks', 'tasks.json'), JSON.stringify(tasksFile));
    seedSnapshot(h.home, {
      sourceKey: h.key,
      project: 'demo',
      branch: 'main',
      tasks: [task('1'), task('2')],
      next: task('1'),
    });

    const client = new Client({ name: 'taskhooks-test', version: '0.0.0' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [peer('task-master-ai').entry],
      cwd: dir,
      stderr: 'ignore',
      // Task Master writes ~/.taskmaster: it gets a home of its own, never the real one.
      env: { ...getDefaultEnvironment(), HOME: dir },
    });
    await client.connect(transport);
    cleanups.push(() => client.close());
    const args = { id: '1', status: 'in-progress', projectRoot: dir };
    const result = await client.callTool({ name: 'set_task_status', arguments: args });
    expectSilent(await h.post('mcp__task-master-ai__set_task_status', args, result));
    expect(ids(h.snapshot())).toEqual(['1:in_progress', '2:todo']);
    expect(h.snapshot()?.staleSince).toBeUndefined();
  });
});
