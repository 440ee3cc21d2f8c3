// The built UserPromptSubmit and SessionEnd hooks as Claude Code runs them: a running session is told each change to
// its work once (made by another session's PostToolUse, by the CLI, by the monitor's fetches), and nothing otherwise.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { recordSnapshotError } from '../../../src/cache/snapshots.js';
import { readInjection } from '../../../src/told/table.js';
import { BASELINE_KEY } from '../../../src/hooks/news/baseline.js';
import { NEWS_MAX_CHARS } from '../../../src/hooks/news/news.js';
import { CLI } from '../../monitor/helpers.js';
import {
  demoProject,
  hookEnv,
  postToolUseInput,
  ROOMY_DEADLINES,
  runHook,
  runHookHere,
  seedSnapshot,
  sessionStartInput,
  task,
  withHomeCache,
  unmarked,
  type HookRun,
} from '../../helpers/hooks.js';

const AGENTHUB = 'http://127.0.0.1:9/mcp';
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const agenthubAnswer = (data: Record<string, unknown>) => [
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

function setup(config: unknown = { source: { servers: [AGENTHUB] } }) {
  const project = demoProject({ config: { ...(config as object), hooks: ROOMY_DEADLINES } });
  cleanups.push(project.cleanup);
  const prompt = (session: string, extra: Record<string, unknown> = {}): Promise<HookRun> =>
    runHookHere(
      'user-prompt-submit',
      {
        session_id: session,
        transcript_path: '/dev/null',
        cwd: project.repo.dir,
        hook_event_name: 'UserPromptSubmit',
        prompt: 'go on',
        ...extra,
      },
      { home: project.home },
    );
  return { ...project, prompt };
}

const told = (run: HookRun): string => {
  expect([run.code, run.stderr]).toEqual([0, '']);
  const text = run.output?.hookSpecificOutput.additionalContext;
  return text === undefined ? '' : unmarked(text);
};
const expectNothing = (run: HookRun): void => {
  expect([run.code, run.signal, run.stdout, run.stderr]).toEqual([0, null, '', '']);
};

describe('UserPromptSubmit news', () => {
  it('tells a session once that another session finished its task, then nothing', async () => {
    const h = setup();
    const tasks = [task('T-1', { status: 'in_progress', title: 'Refactor the parser' }), task('T-2')];
    seedSnapshot(h.home, { sourceKey: AGENTHUB, project: 'demo', branch: 'main', tasks });
    // The first prompt records what the session knows and says nothing.
    expectNothing(await h.prompt('session-a'));
    expectNothing(await h.prompt('session-a'));
    // Session B completes T-1 through the task server; its PostToolUse patches the shared snapshot.
    const done = agenthubAnswer({
      task: { id: 'T-1', title: 'Refactor the parser', status: 'done', priority: 'medium', git_branch_id: 'b-1' },
    });
    const post = await runHookHere(
      'post-tool-use',
      postToolUseInput(
        h.repo.dir,
        'mcp__agenthub__manage_task',
        { action: 'complete', task_id: 'T-1' },
        done,
        'session-b',
      ),
      { home: h.home },
    );
    expect(post.code).toBe(0);
    const news = told(await h.prompt('session-a'));
    expect(news).toBe(
      'taskhooks: changed since you were last told:\n- Your task T-1 (Refactor the parser) is no longer open: it was finished or closed elsewhere.',
    );
    expectNothing(await h.prompt('session-a'));
  });

  it('tells a session once that its task is now claimed elsewhere: by another session, then on the task server', async () => {
    const h = setup();
    const key = { sourceKey: AGENTHUB, project: 'demo', branch: 'main' };
    const parser = task('T-1', { status: 'in_progress', title: 'Refactor the parser' });
    seedSnapshot(h.home, { ...key, tasks: [parser, task('T-2')] });
    expectNothing(await h.prompt('session-a'));
    // Session B starts and takes T-1 through the task server's tool: its PostToolUse makes the claim.
    const b = await runHookHere('session-start', sessionStartInput(h.repo.dir, 'session-b'), { home: h.home });
    expect(b.code).toBe(0);
    const started = agenthubAnswer({
      task: {
        id: 'T-1',
        title: 'Refactor the parser',
        status: 'in_progress',
        priority: 'medium',
        git_branch_id: 'b-1',
      },
    });
    const post = await runHookHere(
      'post-tool-use',
      postToolUseInput(
        h.repo.dir,
        'mcp__agenthub__manage_task',
        { action: 'update', task_id: 'T-1', status: 'in_progress' },
        started,
        'session-b',
      ),
      { home: h.home },
    );
    expect(post.code).toBe(0);
    expect(told(await h.prompt('session-a'))).toBe(
      `taskhooks: changed since you were last told:\n- Your task T-1 (Refactor the parser) is now claimed elsewhere: the session in ${h.repo.dir} (branch main).`,
    );
    expectNothing(await h.prompt('session-a'));

    // B ends; a teammate's session on another machine claims T-1 on the server.
    await runHookHere(
      'session-end',
      { session_id: 'session-b', cwd: h.repo.dir, hook_event_name: 'SessionEnd' },
      { home: h.home },
    );
    seedSnapshot(h.home, { ...key, tasks: [{ ...parser, claimedBy: 'dana/s-9' }, task('T-2')] });
    expect(told(await h.prompt('session-a'))).toContain(
      '- Your task T-1 (Refactor the parser) is now claimed elsewhere: dana on the task server.',
    );
    expectNothing(await h.prompt('session-a'));
    // Its own claim on the server is no news.
    seedSnapshot(h.home, { ...key, tasks: [{ ...parser, claimedBy: 'test/session-a' }, task('T-2')] });
    expectNothing(await h.prompt('session-a'));
    // A claim naming only a session (as the built-in store keeps one) is said without its id.
    const id = '5b0e1c1e-8a51-4f3e-9d7a-2f1a0c9e4b7d';
    seedSnapshot(h.home, { ...key, tasks: [{ ...parser, claimedBy: id }, task('T-2')] });
    const bySession = told(await h.prompt('session-a'));
    expect(bySession).toContain(
      '- Your task T-1 (Refactor the parser) is now claimed elsewhere: another session on the task server.',
    );
    expect(bySession).not.toContain(id);
  });

  it('tells a new high-priority task on the branch once, and the server going down and coming back once each', async () => {
    const h = setup();
    const key = { sourceKey: AGENTHUB, project: 'demo', branch: 'main' };
    seedSnapshot(h.home, { ...key, tasks: [task('T-1')] });
    expectNothing(await h.prompt('session-a'));
    seedSnapshot(h.home, {
      ...key,
      tasks: [task('T-1'), task('T-9', { priority: 'high', title: 'Checkout is down' })],
    });
    expect(told(await h.prompt('session-a'))).toContain('- New high task on branch main: T-9 (Checkout is down).');
    expectNothing(await h.prompt('session-a'));

    withHomeCache(h.home, (cache) => cache.write(() => recordSnapshotError(cache, key, 'connect ECONNREFUSED')));
    expect(told(await h.prompt('session-a'))).toContain('The task server is unreachable');
    expectNothing(await h.prompt('session-a'));
    seedSnapshot(h.home, {
      ...key,
      tasks: [task('T-1'), task('T-9', { priority: 'high', title: 'Checkout is down' })],
    });
    expect(told(await h.prompt('session-a'))).toContain('The task server is reachable again.');
    expectNothing(await h.prompt('session-a'));
  });

  it('tells at the first prompt a task added after the session started, and the tasks it started with never', async () => {
    const h = setup();
    const key = { sourceKey: AGENTHUB, project: 'demo', branch: 'main' };
    seedSnapshot(h.home, { ...key, tasks: [task('T-1', { priority: 'high', title: 'Known at start' })] });
    const start = await runHookHere('session-start', sessionStartInput(h.repo.dir, 'session-a'), { home: h.home });
    expect(start.output?.hookSpecificOutput.additionalContext).toContain('Known at start');
    seedSnapshot(h.home, {
      ...key,
      tasks: [task('T-1', { priority: 'high', title: 'Known at start' }), task('T-9', { priority: 'critical' })],
    });
    expect(told(await h.prompt('session-a'))).toBe(
      `taskhooks: changed since you were last told:\n- New critical task on branch main: T-9 (${task('T-9').title}).`,
    );
    expectNothing(await h.prompt('session-a'));
  });

  it('keeps what a resumed session was told, so its task finished meanwhile is news; a cleared one starts afresh', async () => {
    const h = setup();
    const key = { sourceKey: AGENTHUB, project: 'demo', branch: 'main' };
    const start = (source: string) =>
      runHookHere('session-start', { ...sessionStartInput(h.repo.dir, 'session-a'), source }, { home: h.home });
    const mine = task('T-1', { status: 'in_progress', title: 'Refactor the parser' });
    seedSnapshot(h.home, { ...key, tasks: [mine, task('T-2')] });
    expect((await start('startup')).code).toBe(0);
    seedSnapshot(h.home, { ...key, tasks: [task('T-2')] });
    expect((await start('resume')).code).toBe(0);
    expect(told(await h.prompt('session-a'))).toContain('Your task T-1 (Refactor the parser) is no longer open');

    // T-1 in progress again is no news, and what the session knows holds it once more; then a cleared conversation
    // knows only what its start told it.
    seedSnapshot(h.home, { ...key, tasks: [mine, task('T-2')] });
    expectNothing(await h.prompt('session-a'));
    seedSnapshot(h.home, { ...key, tasks: [task('T-2')] });
    expect((await start('clear')).code).toBe(0);
    expectNothing(await h.prompt('session-a'));
  });

  it('records the baseline at the first prompt when the session started without tasks', async () => {
    const h = setup();
    const key = { sourceKey: AGENTHUB, project: 'demo', branch: 'main' };
    // No snapshot and a server that refuses: the session starts told of no tasks.
    expect(
      (await runHookHere('session-start', sessionStartInput(h.repo.dir, 'session-a'), { home: h.home })).code,
    ).toBe(0);
    seedSnapshot(h.home, { ...key, tasks: [task('T-9', { priority: 'critical' })] });
    expectNothing(await h.prompt('session-a'));
    expect(withHomeCache(h.home, (s) => readInjection(s, 'session-a', BASELINE_KEY))).toContain('T-9');
  });

  it(`keeps many changes within ${NEWS_MAX_CHARS} characters, whole lines, saying how many more there were`, async () => {
    const h = setup();
    const key = { sourceKey: AGENTHUB, project: 'demo', branch: 'main' };
    seedSnapshot(h.home, { ...key, tasks: [] });
    expectNothing(await h.prompt('session-a'));
    const many = Array.from({ length: 30 }, (_, i) => task(`T-${i}`, { priority: 'critical', title: 'x'.repeat(55) }));
    seedSnapshot(h.home, { ...key, tasks: many });
    const run = await h.prompt('session-a');
    const news = told(run);
    // The marker counts: what reaches the model stays within the limit.
    expect(run.output?.hookSpecificOutput.additionalContext?.length).toBeLessThanOrEqual(NEWS_MAX_CHARS);
    expect(news).toMatch(/\n\(and \d+ more: run taskhooks context\)$/);
    expectNothing(await h.prompt('session-a'));
  });

  it('tells a session once that its task was finished with `taskhooks tasks done` (embedded store)', async () => {
    const h = setup({});
    const cli = (args: string[]) =>
      promisify(execFile)(process.execPath, [CLI, ...args], {
        cwd: h.repo.dir,
        env: { ...hookEnv(h.home), HOME: h.home, NO_COLOR: '1' },
      });
    const { id } = JSON.parse((await cli(['tasks', 'add', 'Ship the cart', '--json'])).stdout) as { id: string };
    await cli(['tasks', 'start', id]);
    expectNothing(await h.prompt('session-a'));
    await cli(['tasks', 'done', id]);
    expect(told(await h.prompt('session-a'))).toContain(`Your task ${id} (Ship the cart) is no longer open`);
    expectNothing(await h.prompt('session-a'));
  });

  it('answers bad input with nothing and exit 0', async () => {
    const h = setup();
    seedSnapshot(h.home, {
      sourceKey: AGENTHUB,
      project: 'demo',
      branch: 'main',
      tasks: [task('T-1', { status: 'in_progress' })],
    });
    for (const input of [
      'not json',
      '',
      '[]',
      { cwd: h.repo.dir },
      { session_id: '../../etc', cwd: h.repo.dir },
      { session_id: 42 },
    ]) {
      expectNothing(await runHook('user-prompt-submit', input, { home: h.home }));
    }
    expectNothing(await h.prompt('session-a', { cwd: 17 }));
  });
});

describe('SessionEnd', () => {
  it('forgets what the session was told, says nothing, and takes bad input quietly', async () => {
    const h = setup();
    seedSnapshot(h.home, {
      sourceKey: AGENTHUB,
      project: 'demo',
      branch: 'main',
      tasks: [task('T-1', { status: 'in_progress' })],
    });
    expectNothing(await h.prompt('session-a'));
    expect(withHomeCache(h.home, (s) => readInjection(s, 'session-a', 'user-prompt-submit:baseline'))).toBeDefined();
    expect(existsSync(path.join(h.home, 'news-told', 'session-a'))).toBe(true);
    const end = {
      session_id: 'session-a',
      transcript_path: '/dev/null',
      cwd: h.repo.dir,
      hook_event_name: 'SessionEnd',
      reason: 'prompt_input_exit',
    };
    expectNothing(await runHookHere('session-end', end, { home: h.home }));
    expect(withHomeCache(h.home, (s) => readInjection(s, 'session-a', 'user-prompt-submit:baseline'))).toBeUndefined();
    expect(readdirSync(path.join(h.home, 'news-told'))).toEqual([]);
    for (const input of ['not json', '', { reason: 'other' }, { session_id: '../x' }])
      expectNothing(await runHookHere('session-end', input, { home: h.home }));
  });
});
