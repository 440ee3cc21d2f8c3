import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { markSnapshotStale } from '../../../src/cache/snapshots.js';
import {
  countingServer,
  demoProject,
  hookUntil,
  preToolUseInput,
  ROOMY_DEADLINES,
  runHook,
  runHookHere,
  seedSnapshot,
  task,
  withHomeCache,
  unmarked,
  type HookRun,
} from '../../helpers/hooks.js';
import { git } from '../../helpers/git.js';

const cleanups: Array<() => unknown> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function setup(guards?: Record<string, unknown>, deadlines?: typeof ROOMY_DEADLINES) {
  const project = demoProject(
    guards || deadlines ? { config: { hooks: { ...deadlines, ...(guards ? { guards } : {}) } } } : {},
  );
  cleanups.push(project.cleanup);
  return project;
}

function seedInProgress(home: string, branch: string, id: string | null): void {
  const tasks = [task('T-1', { title: 'Refactor the parser' }), task('T-2', { title: 'Add login form' })].map((t) =>
    t.id === id ? { ...t, status: 'in_progress' as const } : t,
  );
  seedSnapshot(home, {
    sourceKey: 'embedded',
    project: 'demo',
    branch,
    tasks,
    next: task('T-3', { title: 'Write docs' }),
  });
}

const ctx = (r: HookRun): string | undefined => r.output?.hookSpecificOutput.additionalContext;

describe('PreToolUse', () => {
  it('says nothing about other tools and does not even open the cache', async () => {
    const { repo, home } = setup();
    const run = await runHook(
      'pre-tool-use',
      preToolUseInput(repo.dir, 'Read', { file_path: path.join(repo.dir, 'a.ts') }),
      { home },
    );
    const ls = await runHook('pre-tool-use', preToolUseInput(repo.dir, 'Bash', { command: 'ls -la && git status' }), {
      home,
    });
    expect([run.code, run.stdout, run.stderr]).toEqual([0, '', '']);
    expect([ls.code, ls.stdout]).toEqual([0, '']);
    expect(existsSync(path.join(home, 'cache.db'))).toBe(false);
  });

  it('reminds once across three edits of a session, and again when the task in progress changes', async () => {
    const { repo, home } = setup();
    seedInProgress(home, 'main', 'T-1');
    const edit = (sessionId: string) =>
      runHookHere(
        'pre-tool-use',
        preToolUseInput(
          repo.dir,
          'Edit',
          { file_path: path.join(repo.dir, 'src/a.ts'), old_string: 'a', new_string: 'b' },
          sessionId,
        ),
        { home },
      );

    const runs = [await edit('s1'), await edit('s1'), await edit('s1')];
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(unmarked(ctx(runs[0] as HookRun) ?? '')).toBe(
      '[taskhooks] Task in progress on branch main: T-1 "Refactor the parser" (status in_progress). Keep this change within it, or update the task when the work moves on.',
    );
    expect(runs[0]?.output?.hookSpecificOutput).toEqual({
      hookEventName: 'PreToolUse',
      additionalContext: ctx(runs[0] as HookRun),
    });
    expect(runs.slice(1).map((r) => r.stdout)).toEqual(['', '']);

    // Another session gets its own first reminder.
    expect(ctx(await edit('s2'))).toContain('T-1');

    seedInProgress(home, 'main', 'T-2');
    expect(ctx(await edit('s1'))).toContain('T-2 "Add login form"');
    expect((await edit('s1')).stdout).toBe('');
  });

  it('reminds on git commit and push through Bash, and on the other edit tools', async () => {
    const { repo, home } = setup();
    seedInProgress(home, 'main', 'T-1');
    const commit = await runHookHere(
      'pre-tool-use',
      preToolUseInput(repo.dir, 'Bash', { command: 'npm test && git -C . commit -am "wip"' }, 'a'),
      { home },
    );
    const push = await runHookHere(
      'pre-tool-use',
      preToolUseInput(repo.dir, 'Bash', { command: 'git push origin main' }, 'b'),
      { home },
    );
    const write = await runHookHere(
      'pre-tool-use',
      preToolUseInput(repo.dir, 'Write', { file_path: path.join(repo.dir, 'x'), content: 'x' }, 'c'),
      { home },
    );
    const multi = await runHookHere(
      'pre-tool-use',
      preToolUseInput(repo.dir, 'MultiEdit', { file_path: path.join(repo.dir, 'x'), edits: [] }, 'd'),
      { home },
    );
    const nb = await runHookHere(
      'pre-tool-use',
      preToolUseInput(repo.dir, 'NotebookEdit', { notebook_path: path.join(repo.dir, 'n.ipynb') }, 'e'),
      { home },
    );
    for (const r of [commit, push, write, multi, nb]) expect(ctx(r)).toContain('T-1 "Refactor the parser"');
  });

  it('says nothing when no task is in progress and no guard is on', async () => {
    const { repo, home } = setup();
    seedInProgress(home, 'main', null);
    const run = await runHookHere(
      'pre-tool-use',
      preToolUseInput(repo.dir, 'Edit', { file_path: path.join(repo.dir, 'a.ts') }),
      { home },
    );
    expect([run.code, run.stdout]).toEqual([0, '']);
  });

  it('denies edits to protected paths, naming the rule', async () => {
    const { repo, home } = setup({ protectedPaths: ['*.pem', 'migrations/**'] });
    seedInProgress(home, 'main', 'T-1');
    const pem = await runHookHere(
      'pre-tool-use',
      preToolUseInput(repo.dir, 'Write', { file_path: path.join(repo.dir, 'certs/server.pem') }, 'a'),
      { home },
    );
    const mig = await runHookHere(
      'pre-tool-use',
      preToolUseInput(repo.dir, 'Edit', { file_path: path.join(repo.dir, 'migrations/001.sql') }, 'b'),
      { home },
    );
    const ok = await runHookHere(
      'pre-tool-use',
      preToolUseInput(repo.dir, 'Edit', { file_path: path.join(repo.dir, 'src/001.sql') }, 'c'),
      { home },
    );

    expect(pem.output?.hookSpecificOutput.permissionDecision).toBe('deny');
    expect(pem.output?.hookSpecificOutput.permissionDecisionReason).toBe(
      'certs/server.pem is protected by the rule "*.pem" in hooks.guards.protectedPaths; ask the user to change it or the rule.',
    );
    expect(mig.output?.hookSpecificOutput.permissionDecisionReason).toContain('"migrations/**"');
    expect(ok.output?.hookSpecificOutput.permissionDecision).toBeUndefined();
    expect(ok.output?.hookSpecificOutput.permissionDecisionReason).toBeUndefined();
  });

  it('asks or denies edits while no task is in progress (requireActiveTask)', async () => {
    for (const mode of ['ask', 'deny'] as const) {
      const { repo, home } = setup({ requireActiveTask: mode });
      seedInProgress(home, 'main', null);
      const run = await runHookHere(
        'pre-tool-use',
        preToolUseInput(repo.dir, 'Edit', { file_path: path.join(repo.dir, 'a.ts') }),
        { home },
      );
      expect(run.output?.hookSpecificOutput.permissionDecision).toBe(mode);
      expect(run.output?.hookSpecificOutput.permissionDecisionReason).toBe(
        `No task is in progress on branch main and hooks.guards.requireActiveTask is "${mode}": set a task to in_progress before editing (next recommended: T-3 "Write docs").`,
      );
      seedInProgress(home, 'main', 'T-2');
      const fine = await runHookHere(
        'pre-tool-use',
        preToolUseInput(repo.dir, 'Edit', { file_path: path.join(repo.dir, 'a.ts') }, 'other'),
        { home },
      );
      expect(fine.output?.hookSpecificOutput.permissionDecision).toBeUndefined();
      expect(ctx(fine)).toContain('T-2');
    }
  });

  it('does not hold edits on requireActiveTask when the source answers in prose: what is in progress is unknown', async () => {
    const { repo, home } = setup({ requireActiveTask: 'deny' });
    seedSnapshot(home, {
      sourceKey: 'embedded',
      project: 'demo',
      branch: 'main',
      tasks: [],
      text: 'In Progress:\n  task-7 - Refund flow',
    });
    const run = await runHookHere(
      'pre-tool-use',
      preToolUseInput(repo.dir, 'Edit', { file_path: path.join(repo.dir, 'a.ts') }),
      { home },
    );
    expect(run.code).toBe(0);
    expect(run.output?.hookSpecificOutput.permissionDecision).toBeUndefined();
    // The same store with no words at all is a store with nothing in progress: the guard holds the edit.
    seedSnapshot(home, { sourceKey: 'embedded', project: 'demo', branch: 'main', tasks: [] });
    const empty = await runHookHere(
      'pre-tool-use',
      preToolUseInput(repo.dir, 'Edit', { file_path: path.join(repo.dir, 'a.ts') }, 'other'),
      { home },
    );
    expect(empty.output?.hookSpecificOutput.permissionDecision).toBe('deny');
  });

  it('reads a Bash command before a live fetch: one that only mentions push or commit never waits for the network', async () => {
    const server = await countingServer();
    cleanups.push(server.close);
    const { repo, home } = setup(undefined, ROOMY_DEADLINES);
    const tasks = [task('T-1', { title: 'Refactor the parser', status: 'in_progress' })];
    const seedStale = (): void => {
      seedSnapshot(home, { sourceKey: server.url, project: 'demo', branch: 'main', tasks });
      withHomeCache(home, (cache) =>
        markSnapshotStale(cache, { sourceKey: server.url, project: 'demo', branch: 'main' }),
      );
    };
    const bash = (command: string) =>
      runHookHere('pre-tool-use', preToolUseInput(repo.dir, 'Bash', { command }), {
        home,
        env: { MCP_SERVER_URL: server.url },
      });

    seedStale();
    const grep = await bash('grep -rn "git push" src && echo commit');
    expect([grep.code, grep.stdout]).toEqual([0, '']);
    expect(server.connections()).toBe(0);

    // The same stale snapshot and a real push: the fetch is tried (the server answers 503), so the test above could see
    // one. Loaded, loading the network stack can take the whole deadline: then the hook is run again.
    const push = await hookUntil(
      () => {
        seedStale();
        return bash('git push origin main');
      },
      () => server.connections() > 0,
      { home, deadlineMs: ROOMY_DEADLINES.preToolUseDeadlineMs },
    );
    expect(push.code).toBe(0);
    expect(server.connections()).toBeGreaterThan(0);
  });

  it('refuses git push to protected branches only', async () => {
    const { repo, home } = setup({ protectedBranches: ['main', 'release/*'] });
    git(repo.dir, 'checkout', '-q', '-b', 'feature/y');
    const push = (command: string) =>
      runHookHere('pre-tool-use', preToolUseInput(repo.dir, 'Bash', { command }), { home });

    const toMain = await push('git push origin main');
    expect(toMain.output?.hookSpecificOutput.permissionDecision).toBe('deny');
    expect(toMain.output?.hookSpecificOutput.permissionDecisionReason).toBe(
      'git push to branch main is refused: "main" is in hooks.guards.protectedBranches; push to another branch and open a pull request.',
    );
    expect(
      (await push('git push -f origin HEAD:release/1.2')).output?.hookSpecificOutput.permissionDecisionReason,
    ).toContain('"release/*"');
    expect((await push('git push origin feature/y')).output?.hookSpecificOutput.permissionDecision).toBeUndefined();
    // No refspec: the current branch (feature/y) is pushed, which is allowed.
    expect((await push('git push')).output?.hookSpecificOutput.permissionDecision).toBeUndefined();
    git(repo.dir, 'checkout', '-q', 'main');
    expect((await push('git push -u origin')).output?.hookSpecificOutput.permissionDecision).toBe('deny');
  });
});
