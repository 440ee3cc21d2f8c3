// Several sessions at once: every linked worktree of a repository is its main worktree's project, and a hook event
// run by two registrations of taskhooks at once is answered by one of them.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { eventKey } from '../../src/hooks/event-key.js';
import { git } from '../helpers/git.js';
import { demoProject, hookEnv, ROOT, runHook, sessionStartInput } from '../helpers/hooks.js';

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

    const start = await runHook('session-start', sessionStartInput(linked, 'wt-1'), { home: w.home, cwd: linked });
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
      const run = await runHook(
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
