// No news of one's own doing: a task a session wrote itself (its add_task, its CLI run) is not told back to it as
// "changed since you were last told", through the built hooks; another session hears of it as before.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordTaskWrite } from '../../src/cache/task-writes.js';
import { createStderrLogger } from '../../src/log/index.js';
import { demoProject, runHookHere, task, withHomeCache, type HookRun } from '../helpers/hooks.js';

const projects: Array<ReturnType<typeof demoProject>> = [];
afterEach(() => {
  for (const p of projects.splice(0)) p.cleanup();
});

const KEY = { sourceKey: 'embedded', project: 'demo', branch: 'main' };
const log = createStderrLogger({ level: 'silent', name: 'test' });

function prompt(dir: string, home: string, session: string): Promise<HookRun> {
  const input = { session_id: session, transcript_path: path.join(home, `${session}.jsonl`), cwd: dir, prompt: 'go' };
  return runHookHere('user-prompt-submit', { ...input, hook_event_name: 'UserPromptSubmit' }, { home });
}

/** The store's record of a write that added T-9, made by `by` when given, with the scope read again after it. */
function written(home: string, by: string | undefined): void {
  const at = Date.now();
  const tasks = [task('T-1', { title: 'Fix login' }), task('T-9', { title: 'Checkout is down', priority: 'critical' })];
  withHomeCache(home, (cache) =>
    recordTaskWrite(cache, {
      home,
      log,
      projects: ['demo'],
      at,
      fresh: [{ snapshot: { ...KEY, fetchedAt: at, source: 'built-in store', tasks, next: null }, startedAt: at }],
      ...(by ? { by: { sessionId: by, writes: [{ project: 'demo', id: 'T-9', at }] } } : {}),
      why: 'a test wrote the store',
    }),
  );
}

/** The project's tasks before the write, as the store recorded them. */
function seeded(home: string): void {
  const at = Date.now() - 1000;
  const snapshot = { ...KEY, fetchedAt: at, source: 'built-in store', tasks: [task('T-1')], next: null };
  withHomeCache(home, (cache) =>
    recordTaskWrite(cache, { home, log, projects: ['demo'], fresh: [{ snapshot, startedAt: at }], why: 'seeded' }),
  );
}

const newsOf = (r: HookRun): string => {
  expect([r.code, r.stderr]).toEqual([0, '']);
  return r.output?.hookSpecificOutput.additionalContext ?? '';
};

describe("a session's own writes", () => {
  it('are no news to it, and news to every other session', async () => {
    const { repo, home, cleanup } = demoProject();
    projects.push({ repo, home, cleanup });
    seeded(home);
    // Both sessions' first looks: their baselines.
    expect(newsOf(await prompt(repo.dir, home, 'mine'))).toBe('');
    expect(newsOf(await prompt(repo.dir, home, 'other'))).toBe('');

    written(home, 'mine');
    expect(newsOf(await prompt(repo.dir, home, 'mine'))).toBe('');
    expect(newsOf(await prompt(repo.dir, home, 'other'))).toContain('New critical task on branch main: T-9');
    // Once looked at, the own write is forgotten: nothing is left to hide later news with.
    withHomeCache(home, (cache) =>
      expect(cache.db.prepare("SELECT key FROM kv WHERE key LIKE 'own-writes:%'").all()).toEqual([]),
    );
  });

  it("the same write made by nobody's call is news to the session as before", async () => {
    const { repo, home, cleanup } = demoProject();
    projects.push({ repo, home, cleanup });
    seeded(home);
    expect(newsOf(await prompt(repo.dir, home, 'mine'))).toBe('');
    written(home, undefined);
    expect(newsOf(await prompt(repo.dir, home, 'mine'))).toContain('New critical task on branch main: T-9');
  });
});
