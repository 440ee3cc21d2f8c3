// "Never fail a session": whatever arrives or breaks, exit 0 with nothing or one valid JSON object, and log it.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  hooksLog,
  demoProject,
  preToolUseInput,
  runHook,
  runHookHere,
  seedSnapshot,
  sessionStartInput,
  task,
  type HookRun,
} from '../helpers/hooks.js';
import { hangingGitPath } from '../helpers/git.js';
import { trustFiles } from '../../src/config/trust.js';

const cleanups: Array<() => unknown> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function setup(config?: unknown) {
  const project = demoProject({ config });
  cleanups.push(project.cleanup);
  return project;
}

/**
 * The contract: exit 0, no stderr, stdout empty or one JSON object (runHook already refuses anything else). Bad bytes on
 * stdin, a huge one and a hanging git go to the built entry; a broken cwd, config or cache is the run's logic, run in
 * this process.
 */
function expectClean(run: HookRun): void {
  expect(run.signal).toBeNull();
  expect(run.code).toBe(0);
  expect(run.stderr).toBe('');
}

describe.each(['session-start', 'pre-tool-use'] as const)('%s with bad input', (name) => {
  it.each([
    ['empty stdin', ''],
    ['malformed JSON', '{"session_id": "s1", "cwd": '],
    ['a JSON array', '[1,2,3]'],
    ['wrong field types', '{"session_id": 42, "cwd": ["x"], "tool_name": {}}'],
    ['binary garbage', '\u0000\u0001\u00ff{{{'],
  ])('%s: nothing, exit 0, logged', async (_label, stdin) => {
    const { home } = setup();
    const run = await runHook(name, stdin, { home });
    expectClean(run);
    expect(run.stdout).toBe('');
    expect(hooksLog(home)).toMatch(/nothing injected/);
  });

  it('huge stdin (a 6 MB Write) is read and answered', async () => {
    const { repo, home } = setup();
    seedSnapshot(home, {
      sourceKey: 'embedded',
      project: 'demo',
      branch: 'main',
      tasks: [task('T-1', { status: 'in_progress' })],
    });
    const input =
      name === 'session-start'
        ? { ...sessionStartInput(repo.dir), padding: 'x'.repeat(6_000_000) }
        : preToolUseInput(repo.dir, 'Write', {
            file_path: path.join(repo.dir, 'big.txt'),
            content: 'x'.repeat(6_000_000),
          });
    const run = await runHook(name, input, { home });
    expectClean(run);
    expect(run.output?.hookSpecificOutput.additionalContext).toContain('T-1');
  });

  it('a missing cwd falls back to the project dir Claude Code started the hook in', async () => {
    const { repo, home } = setup();
    seedSnapshot(home, {
      sourceKey: 'embedded',
      project: 'demo',
      branch: 'main',
      tasks: [task('T-1', { status: 'in_progress' })],
    });
    const input =
      name === 'session-start'
        ? sessionStartInput(repo.dir)
        : preToolUseInput(repo.dir, 'Edit', { file_path: path.join(repo.dir, 'a') });
    delete input.cwd;
    const run = await runHookHere(name, input, { home, cwd: repo.dir });
    expectClean(run);
    expect(run.output?.hookSpecificOutput.additionalContext).toContain('T-1');
    expect(hooksLog(home)).toMatch(/input has no cwd/);
  });

  it('a cwd that does not exist still answers', async () => {
    const { home } = setup();
    const input =
      name === 'session-start'
        ? sessionStartInput('/nonexistent/dir')
        : preToolUseInput('/nonexistent/dir', 'Edit', { file_path: '/nonexistent/dir/a' });
    expectClean(await runHookHere(name, input, { home }));
  });

  it('an unreadable or invalid config is logged and the defaults are used', async () => {
    const { repo, home } = setup();
    mkdirSync(path.join(home, 'config.json')); // EISDIR: unreadable whoever runs the test, root included
    mkdirSync(path.join(repo.dir, '.claude'));
    const project = {
      file: path.join(repo.dir, '.claude', 'taskhooks.json'),
      text: '{"hooks": {"contextBudget": 99999, "bogus": 1}}',
    };
    writeFileSync(project.file, project.text);
    trustFiles(home, [project]);
    seedSnapshot(home, {
      sourceKey: 'embedded',
      project: 'demo',
      branch: 'main',
      tasks: [task('T-1', { status: 'in_progress' })],
    });
    const input =
      name === 'session-start'
        ? sessionStartInput(repo.dir)
        : preToolUseInput(repo.dir, 'Edit', { file_path: path.join(repo.dir, 'a') });
    const run = await runHookHere(name, input, { home });
    expectClean(run);
    expect(run.output?.hookSpecificOutput.additionalContext).toContain('T-1');
    const log = hooksLog(home);
    expect(log).toMatch(/cannot read .*config\.json/);
    expect(log).toMatch(/hooks\.contextBudget = 99999 is invalid/);
    expect(log).toMatch(/unknown key hooks\.bogus/);
  });

  it('a corrupt cache file is moved aside and a fresh one used', async () => {
    const { repo, home } = setup();
    writeFileSync(path.join(home, 'cache.db'), 'this is not a database '.repeat(100));
    const input =
      name === 'session-start'
        ? sessionStartInput(repo.dir)
        : preToolUseInput(repo.dir, 'Edit', { file_path: path.join(repo.dir, 'a') });
    const run = await runHookHere(name, input, { home });
    expectClean(run);
    if (name === 'session-start')
      expect(run.output?.hookSpecificOutput.additionalContext).toMatch(/^\[taskhooks\] project demo, branch main: /);
    expect(readdirSync(home).some((f) => f.startsWith('cache.db.corrupt-'))).toBe(true);
  });
});

describe('a hanging git', () => {
  it('cannot stall SessionStart: git state is reported unavailable, tasks still shown', async () => {
    const { repo, home } = setup();
    seedSnapshot(home, { sourceKey: 'embedded', project: 'demo', branch: 'main', tasks: [task('T-1')] });
    const fake = hangingGitPath();
    cleanups.push(fake.cleanup);
    const run = await runHook('session-start', sessionStartInput(repo.dir), { home, env: { PATH: fake.path } });
    expectClean(run);
    const text = run.output?.hookSpecificOutput.additionalContext ?? '';
    expect(text).toContain('T-1');
    expect(text).toContain('Git: state unavailable');
    // The config listing comes first (status needs the filter drivers it names): it holds the whole second.
    expect(hooksLog(home)).toMatch(/git config timed out after 1000 ms/);
  });

  it('is never run by PreToolUse', async () => {
    const { repo, home } = setup();
    seedSnapshot(home, {
      sourceKey: 'embedded',
      project: 'demo',
      branch: 'main',
      tasks: [task('T-1', { status: 'in_progress' })],
    });
    const fake = hangingGitPath();
    cleanups.push(fake.cleanup);
    const run = await runHook('pre-tool-use', preToolUseInput(repo.dir, 'Bash', { command: 'git commit -m x' }), {
      home,
      env: { PATH: fake.path },
    });
    expectClean(run);
    expect(run.output?.hookSpecificOutput.additionalContext).toContain('T-1');
  });
});
