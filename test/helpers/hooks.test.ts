// The in-process hook runner answers as the built entry does: the same words for the same input, the entry's gate
// before anything loads, and nothing for text that is not a hook input.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  demoProject,
  type HookRun,
  hooksLog,
  preToolUseInput,
  runHook,
  runHookHere,
  seedSnapshot,
  sessionStartInput,
  task,
  tempHome,
  unmarked,
} from './hooks.js';

let project: ReturnType<typeof demoProject>;
beforeAll(() => {
  project = demoProject({ config: { hooks: { guards: { protectedPaths: ['*.pem'] } } } });
  seedSnapshot(project.home, {
    sourceKey: 'embedded',
    project: 'demo',
    branch: 'main',
    tasks: [task('T-1', { title: 'Refactor the parser', status: 'in_progress' })],
  });
});
afterAll(() => project.cleanup());

/**
 * What a run told, without the marker each run draws afresh, and without ages, which tick between two runs (the second
 * also reads the git state the first cached, and says so); a decision and its reason as they are.
 */
function answer(run: HookRun): unknown {
  const out = run.output?.hookSpecificOutput;
  if (!out) return run.stdout;
  const { additionalContext, ...rest } = out;
  if (additionalContext === undefined) return rest;
  const text = unmarked(additionalContext)
    .replace(/\d+ s(econds?)? ago/g, 'N s ago')
    .replace(/^Git \(as of [^)]*\):/gm, 'Git:');
  return { ...rest, additionalContext: text };
}

/** The same input, each in a session of its own (a session is told a reminder once), through both runners. */
async function both(input: (session: string) => unknown, name: Parameters<typeof runHook>[0]): Promise<unknown[]> {
  const opts = { home: project.home, cwd: project.repo.dir };
  const built = await runHook(name, input(`built-${name}`), opts);
  const here = await runHookHere(name, input(`here-${name}`), opts);
  expect([built.code, here.code]).toEqual([0, 0]);
  return [answer(built), answer(here)];
}

describe('runHookHere beside the built entry', () => {
  it('tells the same SessionStart context', async () => {
    const [built, here] = await both((s) => sessionStartInput(project.repo.dir, s), 'session-start');
    expect(built).toMatchObject({ additionalContext: expect.stringContaining('Task in progress: T-1') });
    expect(here).toEqual(built);
  });

  it('gives the same PreToolUse reminder and the same refusal', async () => {
    const edit = (s: string) => preToolUseInput(project.repo.dir, 'Edit', { file_path: 'a.ts' }, s);
    const [built, here] = await both(edit, 'pre-tool-use');
    expect(built).toMatchObject({ additionalContext: expect.stringContaining('T-1 "Refactor the parser"') });
    expect(here).toEqual(built);
    const pem = (s: string) =>
      preToolUseInput(project.repo.dir, 'Write', { file_path: path.join(project.repo.dir, 'key.pem') }, s);
    const [deny, denyHere] = await both(pem, 'pre-tool-use');
    expect(deny).toMatchObject({ permissionDecision: 'deny' });
    expect(denyHere).toEqual(deny);
  });

  it("stops at the entry's gate before the settings load", async () => {
    const { home, cleanup } = tempHome();
    try {
      // Unreadable whoever runs the test: a run that loads the settings logs it.
      mkdirSync(path.join(home, 'config.json'));
      // A batch that edited nothing, in a session with no news: the event would run, its entry's gate stops it.
      const batch = {
        session_id: 's1',
        transcript_path: path.join(home, 's1.jsonl'),
        cwd: project.repo.dir,
        hook_event_name: 'PostToolBatch',
        tool_calls: [
          { tool_name: 'Read', tool_input: { file_path: 'a.ts' }, tool_use_id: 'toolu_1', tool_response: {} },
        ],
      };
      expect((await runHookHere('post-tool-batch', batch, { home })).stdout).toBe('');
      expect(hooksLog(home)).not.toMatch(/config\.json/);
      expect(existsSync(path.join(home, 'cache.db'))).toBe(false);
    } finally {
      cleanup();
    }
  });

  it('answers text that is no hook input with nothing, logged', async () => {
    const before = hooksLog(project.home).split('stdin is not JSON').length;
    expect(await both(() => '{"session_id": ', 'session-start')).toEqual(['', '']);
    expect(hooksLog(project.home).split('stdin is not JSON').length).toBe(before + 2);
  });
});
