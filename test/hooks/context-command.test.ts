// `taskhooks context` shows what the hooks inject, through the same runners, without consuming anything.
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { addAlert } from '../../src/cache/alerts.js';
import {
  demoProject,
  hookEnv,
  preToolUseInput,
  ROOT,
  runHookHere,
  seedSnapshot,
  sessionStartInput,
  task,
  unmarked,
  withHomeCache,
} from '../helpers/hooks.js';

const run = promisify(execFile);
const cleanups: Array<() => unknown> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function setup(config?: unknown) {
  const { repo, home, cleanup } = demoProject({ config });
  cleanups.push(cleanup);
  seedSnapshot(home, {
    sourceKey: 'embedded',
    project: 'demo',
    branch: 'main',
    tasks: [
      task('T-1', { title: 'Parser', status: 'in_progress' }),
      task('T-3', { title: 'Lexer', status: 'blocked' }),
    ],
    next: task('T-2', { title: 'Docs' }),
  });
  return { repo, home };
}

const cli = (home: string, args: string[]) =>
  run(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'context', ...args], { env: hookEnv(home) });

describe('taskhooks context', () => {
  it('prints exactly what SessionStart injects, and why, leaving alerts unshown', async () => {
    const { repo, home } = setup();
    withHomeCache(home, (s) =>
      s.write(() =>
        addAlert(s, {
          sourceKey: 'embedded',
          project: 'demo',
          kind: 'new_priority_task',
          // Not the task at hand (in progress or next): an alert about that one is left out of the context.
          taskId: 'T-3',
          message: 'New high task: Lexer (id T-3)',
        }),
      ),
    );

    const { stdout, stderr } = await cli(home, ['--dir', repo.dir]);
    const hook = await runHookHere('session-start', sessionStartInput(repo.dir), { home });

    expect(stderr).toBe('');
    // The hook marks what it injects; the preview tells no one, so it has no marker.
    const injected = unmarked(hook.output?.hookSpecificOutput.additionalContext ?? '');
    expect(injected).toContain('New high task: Lexer (id T-3)'); // the preview did not consume the alert
    // The two runs are a moment apart: the snapshot's and the commit's ages may differ, and where git was read from.
    const ageless = (text: string): string =>
      text
        .replace(/as of \d+ s ago/g, 'as of N s ago')
        .replace(/\(\d+ seconds? ago\)/g, '(N seconds ago)')
        // The second run may find git in the cache the first one filled, and says so: the same state.
        .replace(/^Git \(as of [^)]*\):/gm, 'Git:');
    expect(stdout).toMatch(/SessionStart would inject \d+ characters:\n\n/);
    expect(ageless(stdout)).toContain(`characters:\n\n${ageless(injected)}\n`);
    expect(stdout).toMatch(
      /tasks: cached snapshot is \d+ s old, within cache\.taskTtlSeconds \(900 s\): no network call/,
    );
    expect(stdout).toContain('scope: project demo, branch main');
  });

  it('shows which policy spoke for a PreToolUse call, as JSON too, without recording a reminder', async () => {
    const { repo, home } = setup({ hooks: { guards: { protectedPaths: ['*.pem'] } } });
    const args = [
      '--dir',
      repo.dir,
      '--event',
      'pre-tool-use',
      '--tool',
      'Write',
      '--file',
      'key.pem',
      '--session',
      's1',
    ];

    const text = (await cli(home, args)).stdout;
    const json = JSON.parse((await cli(home, [...args, '--json'])).stdout) as { output: unknown; why: string[] };

    expect(text).toContain(
      'PreToolUse (Write) would answer deny: key.pem is protected by the rule "*.pem" in hooks.guards.protectedPaths',
    );
    expect(text).toContain('- policy: deny — key.pem is protected');
    expect(json.output).toMatchObject({
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny' },
    });
    expect(json.why).toContain('reminder: first edit, commit or push of the session');
    // The real hook in session s1 still gets its first reminder: the previews recorded nothing.
    const hook = await runHookHere(
      'pre-tool-use',
      preToolUseInput(repo.dir, 'Edit', { file_path: path.join(repo.dir, 'a.ts') }, 's1'),
      { home },
    );
    expect(hook.output?.hookSpecificOutput.additionalContext).toContain('T-1 "Parser"');
  });

  it('previews with a broken config and lists its problems', async () => {
    const { repo, home } = setup({ hooks: { contextBudget: 5 } });
    const { stdout } = await cli(home, ['--dir', repo.dir, '--offline']);
    expect(stdout).toContain('SessionStart would inject');
    expect(stdout).toMatch(
      /Config problems \(the hooks use the defaults meanwhile\):\n {2}- config: hooks\.contextBudget = 5 is invalid/,
    );
  });

  it('refuses an unknown event with the usage', async () => {
    const { home } = setup();
    await expect(cli(home, ['--event', 'stop'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--event must be session-start or pre-tool-use'),
    });
  });
});
