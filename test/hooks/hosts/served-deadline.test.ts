// A served PreToolUse answers by its own deadline, below the agent's timeout for the hook: a check still running then
// refuses the call, as an agent that stops waiting runs it. The pipeline is held here (it never answers), so that the
// deadline alone can speak; the guards' budgets are what keep a real check short (test/hooks/long-command.test.ts).
import { afterEach, expect, it, vi } from 'vitest';

vi.mock('../../../src/hooks/hosts/pipeline.js', () => ({ runHookPipeline: () => new Promise(() => {}) }));

const { openCache } = await import('../../../src/cache/cache.js');
const { preToolUseHook } = await import('../../../src/hooks/events/pre-tool-use.js');
const { runServedHook } = await import('../../../src/hooks/hosts/served.js');
const { recordingLogger } = await import('../../helpers/cache.js');
const { demoProject, hookEnv, preToolUseInput } = await import('../../helpers/hooks.js');

const cleanups: Array<() => void> = [];
afterEach(() => {
  vi.useRealTimers();
  for (const c of cleanups.splice(0)) c();
});

it('refuses a PreToolUse still running at its deadline, below the agent timeout, and says why', async () => {
  const project = demoProject({ config: { hooks: { guards: { protectedBranches: ['main'] } } } });
  const cache = openCache({ home: project.home });
  cleanups.push(() => cache.close(), project.cleanup);
  const logged: string[] = [];
  const run = { cache, log: recordingLogger(logged), env: hookEnv(project.home) };
  vi.useFakeTimers();
  const deadline = preToolUseHook.watchdogMs();
  expect(deadline).toBeLessThan(preToolUseHook.timeout * 1000);

  const answered = runServedHook(
    'pre-tool-use',
    preToolUseInput(project.repo.dir, 'Bash', { command: 'git push' }),
    run,
  );
  const waiting = Symbol('still waiting');
  await vi.advanceTimersByTimeAsync(deadline - 1);
  expect(await Promise.race([answered, Promise.resolve(waiting)])).toBe(waiting);
  await vi.advanceTimersByTimeAsync(1);

  expect(await Promise.race([answered, Promise.resolve(waiting)])).toEqual({
    hookSpecificOutput: {
      hookEventName: 'PreToolUse',
      permissionDecision: 'deny',
      permissionDecisionReason: expect.stringMatching(
        `^taskhooks: the guard check of this call took over ${deadline} ms`,
      ),
    },
  });
  expect(logged.join('\n')).toContain(`pre-tool-use took over ${deadline} ms`);
});
