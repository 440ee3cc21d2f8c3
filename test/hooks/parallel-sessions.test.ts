// Several sessions at once: every linked worktree of a repository is its main worktree's project, and a hook event
// run by two registrations of taskhooks at once is answered by one of them.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { claimTask, claimsElsewhere, liveSessions, registerSession } from '../../src/cache/live-sessions.js';
import { openCache } from '../../src/cache/cache.js';
import { renderContext } from '../../src/context/render.js';
import { eventKey } from '../../src/hooks/input/event-key.js';
import { git } from '../helpers/git.js';
import {
  demoProject,
  hookEnv,
  ROOMY_DEADLINES,
  ROOMY_SOURCE_TIMEOUT_MS,
  ROOT,
  runHook,
  runHookHere,
  sessionStartInput,
  task,
  tempHome,
} from '../helpers/hooks.js';
import { startReferenceServer } from '../helpers/reference-server.js';

const CLI = path.join(ROOT, 'dist/cli.js');
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function world() {
  const project = demoProject();
  cleanups.push(project.cleanup);
  const cli = async (cwd: string, ...args: string[]): Promise<string> =>
    (await promisify(execFile)(process.execPath, [CLI, ...args], { env: hookEnv(project.home), cwd })).stdout;
  return { ...project, cli };
}

describe('one project across worktrees', () => {
  it('a session in a linked worktree sees the main worktree’s project, on its own branch', async () => {
    const w = world();
    const linked = path.join(path.dirname(w.repo.dir), 'shop-2');
    git(w.repo.dir, 'worktree', 'add', '-q', '-b', 'feature/x', linked);
    await w.cli(w.repo.dir, 'tasks', 'add', 'Shared with the worktree', '--branch', 'feature/x');

    const start = await runHookHere('session-start', sessionStartInput(linked, 'wt-1'), { home: w.home, cwd: linked });
    const context = start.output?.hookSpecificOutput.additionalContext ?? '';
    expect(context).toContain('project demo, branch feature/x');
    expect(context).toContain('Shared with the worktree');
    const fromMain = JSON.parse(await w.cli(w.repo.dir, 'tasks', 'list', '--json', '--branch', 'feature/x')) as {
      project: string;
    };
    const fromLinked = JSON.parse(await w.cli(linked, 'tasks', 'list', '--json')) as {
      project: string;
      branch: string;
    };
    expect(fromLinked).toMatchObject({ project: 'demo', branch: 'feature/x' });
    expect(fromMain.project).toBe(fromLinked.project);
  });
});

for (const backend of ['the built-in store', 'the reference server over HTTP'] as const) {
  describe(`two sessions on one project and branch, on ${backend}`, () => {
    it('get different next tasks, each context names the other’s claim, and a claim ends with its session', async () => {
      const ref = backend === 'the reference server over HTTP' ? await startReferenceServer() : undefined;
      if (ref) cleanups.push(() => void ref.close());
      const project = demoProject(
        ref
          ? {
              config: {
                source: { servers: [ref.url], timeoutMs: ROOMY_SOURCE_TIMEOUT_MS },
                auth: { token: ref.token },
                hooks: ROOMY_DEADLINES,
              },
            }
          : {},
      );
      cleanups.push(project.cleanup);
      const { repo, home } = project;
      const cli = async (...args: string[]): Promise<string> =>
        (await promisify(execFile)(process.execPath, [CLI, ...args], { env: hookEnv(home), cwd: repo.dir })).stdout;
      const id = async (title: string, priority: string): Promise<string> =>
        (JSON.parse(await cli('tasks', 'add', title, '--priority', priority, '--json')) as { id: string }).id;
      const checkout = await id('Write the checkout page', 'high');
      const coupons = await id('Add coupon codes', 'medium');
      const start = async (session: string, source = 'startup'): Promise<string> =>
        (
          await runHookHere(
            'session-start',
            { ...sessionStartInput(repo.dir, session), source },
            { home, cwd: repo.dir },
          )
        ).output?.hookSpecificOutput.additionalContext ?? '';

      expect(await start('sess-a')).toContain(`Next recommended task: ${checkout}`);
      // Session A starts its task from its own terminal: the task is A's while A lives.
      expect(await cli('tasks', 'start', checkout)).toContain('Held by the session');
      // Where the server keeps claims, the start is also its claim, naming the person and the session.
      if (ref) expect((await ref.store.getTask(checkout))?.claimedBy).toBe('test/sess-a');

      const b = await start('sess-b');
      expect(b).toContain(`Next recommended task: ${coupons}`);
      expect(b).toMatch(
        new RegExp(`${checkout} is in progress in another session: worktree \\., branch main, for \\d+ s`),
      );
      await cli('tasks', 'start', coupons);
      const sessions = (
        JSON.parse(await cli('sessions', '--json')) as {
          sessions: Array<{ sessionId: string; branch: string; claims: string[] }>;
        }
      ).sessions;
      expect(sessions.map((s) => [s.sessionId, s.branch, s.claims])).toEqual([
        ['sess-b', 'main', [coupons]],
        ['sess-a', 'main', [checkout]],
      ]);

      // A's context after /clear names B's claim.
      expect(await start('sess-a', 'clear')).toContain(`${coupons} is in progress in another session`);

      // B ends: its claim is free, and a new session may be recommended its task.
      await runHookHere(
        'session-end',
        { session_id: 'sess-b', cwd: repo.dir, hook_event_name: 'SessionEnd', reason: 'exit' },
        { home, cwd: repo.dir },
      );
      const c = await start('sess-c');
      expect(c).not.toContain(`${coupons} is in progress in another session`);
      expect(c).toContain(`${checkout} is in progress in another session`);
    });
  });
}

describe('claims on the task server', () => {
  it('a task someone else claimed on the server is never the next task; one this session claimed is', () => {
    const render = (sessionId: string) =>
      renderContext({
        scope: { projectRoot: '/w/shop', project: 'shop', branch: 'main' },
        snapshot: {
          sourceKey: 'k',
          project: 'shop',
          branch: 'main',
          fetchedAt: 1,
          source: 'k',
          tasks: [task('T-1', { priority: 'urgent', claimedBy: 'dana/s-9' }), task('T-2')],
          next: task('T-1', { priority: 'urgent', claimedBy: 'dana/s-9' }),
        },
        freshness: { kind: 'live' },
        git: undefined,
        alerts: [],
        maxPending: 5,
        budget: 4000,
        now: 1,
        sessionId,
      }).text;
    expect(render('s-1')).toContain('Next recommended task: T-2');
    expect(render('s-1')).toContain('T-1 "Task T-1" [todo, urgent] — in progress by dana');
    expect(render('s-9')).toContain('Next recommended task: T-1');
  });
});

describe('claims in the shared cache', () => {
  it('a claim of a session whose process is gone, or that no hook has seen for too long, is free again', () => {
    const { home, cleanup } = tempHome();
    cleanups.push(cleanup);
    const cache = openCache({ home });
    cleanups.push(() => cache.close());
    const live = { now: 10_000, idleMs: 5_000, alive: (pid: number) => pid !== 999 };
    registerSession(cache, { sessionId: 'gone', project: 'shop', branch: 'main', cwd: '/w', pid: 999, at: 9_000 });
    registerSession(cache, { sessionId: 'idle', project: 'shop', branch: 'main', cwd: '/w', at: 1_000 });
    registerSession(cache, { sessionId: 'here', project: 'shop', branch: 'main', cwd: '/w', pid: 1, at: 9_500 });
    cache.db
      .prepare("INSERT INTO task_claims VALUES ('shop', 'T-1', 'gone', 9000), ('shop', 'T-2', 'idle', 1000)")
      .run();
    expect(claimsElsewhere(cache, 'shop', 'here', live)).toEqual([]);
    expect(
      claimTask(cache, { project: 'shop', taskId: 'T-1', sessionId: 'here', at: 10_000 }, live)?.session.sessionId,
    ).toBe('here');
    expect(
      claimTask(cache, { project: 'shop', taskId: 'T-1', sessionId: 'other', at: 10_000 }, live)?.session.sessionId,
    ).toBe('here');
    expect(liveSessions(cache, live).map((s) => s.sessionId)).toEqual(['here']);
  });
});

describe('registered twice, heard once', () => {
  it('two runs of one SessionStart at once: exactly one answers', async () => {
    const w = world();
    await w.cli(w.repo.dir, 'tasks', 'add', 'Add coupon codes');
    const input = sessionStartInput(w.repo.dir, 'twice-1');
    const runs = await Promise.all(
      [1, 2].map(() => runHook('session-start', input, { home: w.home, cwd: w.repo.dir })),
    );
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const answered = runs.filter((r) => r.output?.hookSpecificOutput.additionalContext?.includes('Add coupon codes'));
    expect(answered).toHaveLength(1);
    expect(runs.find((r) => r !== answered[0])?.stdout).toBe('');
  });

  it('a SessionStart after /clear or /compact in the same session is a new event, and is answered', async () => {
    const w = world();
    await w.cli(w.repo.dir, 'tasks', 'add', 'Add coupon codes');
    for (const source of ['startup', 'clear', 'compact']) {
      const run = await runHookHere(
        'session-start',
        { ...sessionStartInput(w.repo.dir, 'twice-2'), source },
        { home: w.home, cwd: w.repo.dir },
      );
      expect(run.output?.hookSpecificOutput.additionalContext).toContain('Add coupon codes');
    }
  });

  it('names an event by its session, its kind and the input’s own identity', () => {
    const base = { session_id: 's', hook_event_name: 'PreToolUse' };
    expect(eventKey({ ...base, tool_use_id: 'a' })).not.toBe(eventKey({ ...base, tool_use_id: 'b' }));
    expect(eventKey({ ...base })).toBeUndefined();
    expect(eventKey({ hook_event_name: 'SessionStart', source: 'startup' })).toBeUndefined();
    const prompt = { session_id: 's', hook_event_name: 'UserPromptSubmit', prompt: 'go on' };
    expect(eventKey({ ...prompt, prompt_id: 'p1' })).not.toBe(eventKey({ ...prompt, prompt_id: 'p2' }));
    // The same words sent twice are two prompts: without Claude Code's id nothing tells them from a second runner.
    expect(eventKey(prompt)).toBeUndefined();
  });
});
