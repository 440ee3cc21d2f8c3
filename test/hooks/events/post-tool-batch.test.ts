// The built PostToolBatch hook's edit reminder: an install with no guard posts no PreToolUse for edits, so the batch
// that edited gives the reminder, once, beside the news; where PreToolUse gave it already, the batch says nothing.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  demoProject,
  hooksLog,
  preToolUseInput,
  runHook,
  runHookHere,
  seedSnapshot,
  task,
  unmarked,
  type HookRun,
} from '../../helpers/hooks.js';

const projects: Array<ReturnType<typeof demoProject>> = [];
afterEach(() => {
  for (const p of projects.splice(0)) p.cleanup();
});

/** A demo project with its own home, removed after the test. */
function setup(): ReturnType<typeof demoProject> {
  const project = demoProject();
  projects.push(project);
  return project;
}

const KEY = { sourceKey: 'embedded', project: 'demo', branch: 'main' };
const REMINDER = '[taskhooks] Task in progress on branch main: T-1 "Refactor the parser" (status in_progress).';

let calls = 0;
/** PostToolBatch as Claude Code sends it after `tools`, each called on a file of the repository. */
function batch(dir: string, home: string, tools: string[], session = 's1', runner = runHookHere): Promise<HookRun> {
  const tool_calls = tools.map((tool) => ({
    tool_name: tool,
    tool_input: tool === 'Bash' ? { command: 'true' } : { file_path: path.join(dir, 'a.ts'), content: 'x' },
    tool_use_id: `toolu_${++calls}`,
    tool_response: {},
  }));
  return runner(
    'post-tool-batch',
    {
      session_id: session,
      transcript_path: path.join(home, `${session}.jsonl`),
      cwd: dir,
      hook_event_name: 'PostToolBatch',
      tool_calls,
    },
    { home },
  );
}

const context = (r: HookRun): string | undefined => {
  expect([r.code, r.stderr]).toEqual([0, '']);
  return r.output?.hookSpecificOutput.additionalContext;
};

describe('PostToolBatch', () => {
  it('reminds of the task in progress after a batch that edited, once, and again when the task changes', async () => {
    const { repo, home } = setup();
    seedSnapshot(home, { ...KEY, tasks: [task('T-1', { title: 'Refactor the parser', status: 'in_progress' })] });
    // The session's first look at its tasks, from which news is counted.
    const prompt = { session_id: 's1', transcript_path: path.join(home, 's1.jsonl'), cwd: repo.dir, prompt: 'go on' };
    expect(
      (await runHookHere('user-prompt-submit', { ...prompt, hook_event_name: 'UserPromptSubmit' }, { home })).code,
    ).toBe(0);

    const first = await batch(repo.dir, home, ['Read', 'Write']);
    expect(first.output?.hookSpecificOutput.hookEventName).toBe('PostToolBatch');
    expect(unmarked(context(first) ?? '')).toMatch(new RegExp(`^${REMINDER.replace(/[[\]().]/g, '\\$&')}`));
    expect(context(await batch(repo.dir, home, ['Edit']))).toBeUndefined();

    seedSnapshot(home, {
      ...KEY,
      tasks: [
        task('T-1', { title: 'Refactor the parser', status: 'done' }),
        task('T-2', { title: 'Add login form', status: 'in_progress' }),
        task('T-9', { title: 'Checkout is down', priority: 'critical' }),
      ],
    });
    const changed = context(await batch(repo.dir, home, ['Bash', 'MultiEdit'])) ?? '';
    // The reminder and the news in one context, with the one marker at the end of its first line.
    const lines = changed.split('\n');
    expect(lines[0]).toMatch(
      /^\[taskhooks\] Task in progress on branch main: T-2 "Add login form" .* \[taskhooks#\w{6}\]$/,
    );
    expect(changed.match(/\[taskhooks#\w{6}\]/g)).toHaveLength(1);
    expect(lines.slice(1)).toContain('taskhooks: changed since you were last told:');
    expect(changed).toContain('- New critical task on branch main: T-9 (Checkout is down).');
  });

  it('says nothing of an edit PreToolUse already reminded of', async () => {
    const { repo, home } = setup();
    seedSnapshot(home, { ...KEY, tasks: [task('T-1', { title: 'Refactor the parser', status: 'in_progress' })] });
    const edit = preToolUseInput(repo.dir, 'Edit', { file_path: path.join(repo.dir, 'a.ts') }, 's2');
    expect(unmarked(context(await runHookHere('pre-tool-use', edit, { home })) ?? '')).toContain(REMINDER);

    const after = await batch(repo.dir, home, ['Edit'], 's2');
    expect([after.code, after.stdout, after.stderr]).toEqual([0, '', '']);
  });

  it('stops at its entry gate after a batch that edited nothing when nothing changed, before the settings load', async () => {
    const { repo, home } = setup();
    // Unreadable whoever runs the test: a run that loads the settings logs it.
    mkdirSync(path.join(home, 'config.json'));
    const run = await batch(repo.dir, home, ['Bash', 'Read'], 's1', runHook);
    expect([run.code, run.stdout, run.stderr]).toEqual([0, '', '']);
    expect(hooksLog(home)).not.toMatch(/config\.json/);
    expect(existsSync(path.join(home, 'cache.db'))).toBe(false);

    // The same batch with an edit goes on, to the settings.
    expect((await batch(repo.dir, home, ['Bash', 'Write'], 's1', runHook)).code).toBe(0);
    expect(hooksLog(home)).toMatch(/cannot read .*config\.json/);
  });
});
