// The built PostToolUse and PostToolBatch hooks as Claude Code runs them mid-turn: a change made while the session
// works is told beside the next tool result, once across UserPromptSubmit, PostToolUse and PostToolBatch, within
// 600 characters, and nothing at all when nothing changed; the monitor's served hooks answer the same.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/cache.js';
import { registerProject } from '../../src/cache/registered-projects.js';
import {
  markProjectStale,
  markSnapshotStale,
  readSnapshot,
  writeSnapshot,
  type TaskSnapshot,
} from '../../src/cache/snapshots.js';
import { homeFiles } from '../../src/home/files.js';
import type { HookOutput } from '../../src/hooks/index.js';
import { NEWS_MAX_CHARS } from '../../src/hooks/news/news.js';
import { productionServices } from '../../src/monitor/services.js';
import { recordingLogger, silentLogger } from '../helpers/cache.js';
import { jsonOut, runCli } from '../helpers/cli.js';
import {
  demoProject,
  hookEnv,
  postToolUseInput,
  ROOMY_DEADLINES,
  runHookHere,
  seedSnapshot,
  task,
  unmarked,
  type HookRun,
} from '../helpers/hooks.js';

const AGENTHUB = 'http://127.0.0.1:9/mcp';
const KEY = { sourceKey: AGENTHUB, project: 'demo', branch: 'main' };
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup() {
  const project = demoProject({ config: { source: { servers: [AGENTHUB] }, hooks: ROOMY_DEADLINES } });
  cleanups.push(project.cleanup);
  const dir = project.repo.dir;
  const common = (session: string) => ({
    session_id: session,
    transcript_path: path.join(project.home, `${session}.jsonl`),
    cwd: dir,
  });
  const prompt = (session = 's1') =>
    runHookHere(
      'user-prompt-submit',
      { ...common(session), hook_event_name: 'UserPromptSubmit', prompt: 'go on' },
      { home: project.home },
    );
  const afterRead = (session = 's1') =>
    runHookHere('post-tool-use', postToolUseInput(dir, 'Read', { file_path: path.join(dir, 'a.ts') }, 'x', session), {
      home: project.home,
    });
  let batches = 0;
  const batchInput = (session: string) => ({
    ...common(session),
    hook_event_name: 'PostToolBatch',
    tool_calls: [
      { tool_name: 'Bash', tool_input: { command: 'sleep 1' }, tool_use_id: `toolu_b${++batches}`, tool_response: {} },
    ],
  });
  const afterBatch = (session = 's1') => runHookHere('post-tool-batch', batchInput(session), { home: project.home });
  return { ...project, prompt, afterRead, afterBatch, batchInput };
}

const told = (run: HookRun, event: string): string => {
  expect([run.code, run.stderr]).toEqual([0, '']);
  expect(run.output?.hookSpecificOutput.hookEventName).toBe(event);
  return unmarked(run.output?.hookSpecificOutput.additionalContext ?? '');
};
const expectNothing = (run: HookRun): void => {
  expect([run.code, run.signal, run.stdout, run.stderr]).toEqual([0, null, '', '']);
};

describe('mid-turn news', () => {
  it('tells a change after the next tool call, once across PostToolUse, PostToolBatch and UserPromptSubmit', async () => {
    const h = setup();
    seedSnapshot(h.home, { ...KEY, tasks: [task('T-1', { status: 'in_progress', title: 'Refactor the parser' })] });
    expectNothing(await h.prompt());

    seedSnapshot(h.home, {
      ...KEY,
      tasks: [
        task('T-1', { status: 'in_progress', title: 'Refactor the parser' }),
        task('T-9', { priority: 'critical', title: 'Checkout is down' }),
      ],
    });
    expect(told(await h.afterRead(), 'PostToolUse')).toBe(
      'taskhooks: changed since you were last told:\n- New critical task on branch main: T-9 (Checkout is down).',
    );
    expectNothing(await h.afterBatch());
    expectNothing(await h.prompt());
    expectNothing(await h.afterRead());

    // The next change is heard by whichever event looks first: here the batch.
    seedSnapshot(h.home, { ...KEY, tasks: [task('T-9', { priority: 'critical', title: 'Checkout is down' })] });
    expect(told(await h.afterBatch(), 'PostToolBatch')).toBe(
      'taskhooks: changed since you were last told:\n- Your task T-1 (Refactor the parser) is no longer open: it was finished or closed elsewhere.',
    );
    expectNothing(await h.afterRead());
    expectNothing(await h.prompt());
  });

  it('PostToolBatch waits for a running monitor to refetch what a change made stale, and tells it this turn', async () => {
    const h = setup();
    seedSnapshot(h.home, { ...KEY, tasks: [task('T-1', { title: 'Refactor the parser' })] });
    expectNothing(await h.prompt('served-2'));
    // A stand-in monitor: a live process whose command line says `monitor run`, holding the state directory's lock.
    const monitor = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'monitor', 'run'], {
      stdio: 'ignore',
    });
    cleanups.push(() => monitor.kill());
    writeFileSync(homeFiles(h.home).lock, JSON.stringify({ pid: monitor.pid, startedAt: Date.now() }));
    const cache = openCache({ home: h.home });
    cleanups.push(() => cache.close());
    registerProject(cache, { root: h.repo.dir, name: 'demo', sourceKey: AGENTHUB, registeredBy: 'test' });
    // A task written during the tool call: the snapshot is stale until the monitor has fetched it again.
    markSnapshotStale(cache, KEY);
    const services = productionServices(hookEnv(h.home));
    const batch = services.runHook(
      'post-tool-batch',
      { ...h.batchInput('served-2'), transcript_path: '' },
      { cache, log: silentLogger() },
    ) as Promise<HookOutput | null>;
    await new Promise((r) => setTimeout(r, 100));
    const fresh = [task('T-1', { title: 'Refactor the parser' }), task('T-9', { priority: 'critical', title: 'Down' })];
    seedSnapshot(h.home, { ...KEY, tasks: fresh });
    expect(unmarked((await batch)?.hookSpecificOutput.additionalContext ?? '')).toContain(
      'New critical task on branch main: T-9 (Down).',
    );
  });

  it('says nothing after a tool call when nothing changed, nor on the session’s first look', async () => {
    const h = setup();
    seedSnapshot(h.home, { ...KEY, tasks: [task('T-1', { priority: 'high' })] });
    // No baseline yet: the first look records it silently, whichever event it is.
    expectNothing(await h.afterRead());
    expectNothing(await h.afterBatch());
    expectNothing(await h.afterRead());
    expectNothing(await h.prompt());
  });

  it(`keeps mid-turn news within ${NEWS_MAX_CHARS} characters, marker included`, async () => {
    const h = setup();
    seedSnapshot(h.home, { ...KEY, tasks: [] });
    expectNothing(await h.afterBatch());
    const many = Array.from({ length: 30 }, (_, i) => task(`T-${i}`, { priority: 'critical', title: 'x'.repeat(55) }));
    seedSnapshot(h.home, { ...KEY, tasks: many });
    const run = await h.afterBatch();
    expect(run.output?.hookSpecificOutput.additionalContext?.length).toBeLessThanOrEqual(NEWS_MAX_CHARS);
    expect(told(run, 'PostToolBatch')).toMatch(/\n\(and \d+ more: run taskhooks context\)$/);
    expectNothing(await h.afterRead());
  });

  it('does not tell a session its own task change as news', async () => {
    const h = setup();
    seedSnapshot(h.home, { ...KEY, tasks: [task('T-1', { status: 'in_progress', title: 'Refactor the parser' })] });
    expectNothing(await h.prompt());
    const answer = [
      {
        type: 'text',
        text: JSON.stringify({
          status: 'success',
          success: true,
          operation: 'update',
          data: { task: { id: 'T-1', title: 'Refactor the parser', status: 'done', priority: 'medium' } },
        }),
      },
    ];
    const own = await runHookHere(
      'post-tool-use',
      postToolUseInput(h.repo.dir, 'mcp__agenthub__manage_task', { action: 'complete', task_id: 'T-1' }, answer, 's1'),
      { home: h.home },
    );
    expectNothing(own);
    expectNothing(await h.afterBatch());
    expectNothing(await h.prompt());
  });

  it('is served by the monitor over http the same way, once across the events', async () => {
    const h = setup();
    seedSnapshot(h.home, { ...KEY, tasks: [task('T-1')] });
    const cache = openCache({ home: h.home });
    cleanups.push(() => cache.close());
    const services = productionServices(hookEnv(h.home));
    const run = (event: 'post-tool-use' | 'post-tool-batch' | 'user-prompt-submit', input: unknown) =>
      services.runHook(event, input, { cache, log: silentLogger() });
    const read = postToolUseInput(h.repo.dir, 'Read', { file_path: 'a.ts' }, 'x', 'served-1');
    expect(await run('post-tool-use', read)).toBeNull();
    seedSnapshot(h.home, { ...KEY, tasks: [task('T-1'), task('T-7', { priority: 'urgent', title: 'Pay the bills' })] });
    const batch = (await run('post-tool-batch', {
      ...h.batchInput('served-1'),
      transcript_path: '',
    })) as HookOutput | null;
    expect(batch?.hookSpecificOutput.hookEventName).toBe('PostToolBatch');
    expect(unmarked(batch?.hookSpecificOutput.additionalContext ?? '')).toBe(
      'taskhooks: changed since you were last told:\n- New urgent task on branch main: T-7 (Pay the bills).',
    );
    expect(await run('post-tool-use', { ...read, tool_use_id: 'toolu_again' })).toBeNull();
    expect(
      await run('user-prompt-submit', {
        session_id: 'served-1',
        cwd: h.repo.dir,
        hook_event_name: 'UserPromptSubmit',
        prompt: 'go on',
      }),
    ).toBeNull();
  });
});

describe('mid-turn news from the built-in store', () => {
  it('tells a task written during a tool call at the next hook the monitor serves, before its own refresh', async () => {
    // The served hook fetches the stale snapshot live: on two busy cores the default deadline can pass first.
    const h = demoProject({ config: { hooks: ROOMY_DEADLINES } });
    cleanups.push(h.cleanup);
    const env = hookEnv(h.home);
    const cli = async (...args: string[]) => jsonOut<{ id: string }>(await runCli(args, { cwd: h.repo.dir, env }));
    await cli('tasks', 'add', 'Fix the checkout total', '--json');
    const cache = openCache({ home: h.home });
    cleanups.push(() => cache.close());
    const services = productionServices(env);
    // Loaded as in a monitor: the network stack (its preload for a remote source) and the task server (its store
    // server's, which this test does not start), so the fetch below compiles nothing. Its log explains a failed fetch.
    await import('../../src/network/index.js');
    await import('../../src/server/index.js');
    const logged: string[] = [];
    const run = (event: 'post-tool-use' | 'post-tool-batch', input: unknown) =>
      services.runHook(event, input, { cache, log: recordingLogger(logged) });
    const read = postToolUseInput(h.repo.dir, 'Read', { file_path: 'a.ts' }, 'x', 'served-2');
    expect(await run('post-tool-use', read)).toBeNull();

    // A write the monitor has been told of but not yet fetched: the task is in the store, the snapshot as it was,
    // marked stale (what a CLI write leaves while a monitor runs).
    const key = { sourceKey: 'embedded', project: 'demo', branch: 'main' };
    const before = readSnapshot(cache, key);
    expect(before?.tasks.map((t) => t.title)).toEqual(['Fix the checkout total']);
    const { id } = await cli('tasks', 'add', 'Checkout is down', '--priority', 'critical', '--json');
    cache.write(() => writeSnapshot(cache, before as TaskSnapshot));
    expect(markProjectStale(cache, 'demo')).toBe(1);

    const batch = (await run('post-tool-batch', {
      session_id: 'served-2',
      transcript_path: '',
      cwd: h.repo.dir,
      hook_event_name: 'PostToolBatch',
      tool_calls: [{ tool_name: 'Bash', tool_input: { command: 'make' }, tool_use_id: 'toolu_m', tool_response: {} }],
    })) as HookOutput | null;
    expect(unmarked(batch?.hookSpecificOutput.additionalContext ?? ''), logged.join('\n')).toBe(
      `taskhooks: changed since you were last told:\n- New critical task on branch main: ${id} (Checkout is down).`,
    );
    expect(readSnapshot(cache, key)?.staleSince).toBeUndefined();
  });
});
