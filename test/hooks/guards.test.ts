// The guards against the rewordings a shell and a file system allow: Bash forms of `git push` through the built
// PreToolUse hook, protected paths reached through symlinks or another letter case, and a cache that fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/sqlite/index.js';
import { silentLogger } from '../helpers/cache.js';
import { demoProject, hookEnv, preToolUseInput, runHook, runHookHere, withHomeCache } from '../helpers/hooks.js';
import { git } from '../helpers/git.js';
import { gitInvocations } from '../../src/hooks/guards/bash.js';
import { openCache } from '../../src/cache/cache.js';
import { caseInsensitiveAt, evaluateGuards, realLocation } from '../../src/hooks/guards/guards.js';
import { productionServices } from '../../src/monitor/services.js';
import { mayBeWatched, mayHoldEdits } from '../../src/hooks/guards/prefilter.js';
import { readGitCall } from '../../src/hooks/guards/watched.js';
import { DISGUISED_FORMS, PUSH_FORMS, RUN_FORMS, type Verdict } from './push-spellings.js';

describe('push guard against Bash rewordings (protectedBranches ["main"], on branch feature)', () => {
  let project: ReturnType<typeof demoProject>;
  beforeAll(() => {
    project = demoProject({ config: { hooks: { guards: { protectedBranches: ['main'] } } } });
    git(project.repo.dir, 'checkout', '-q', '-b', 'feature');
  });
  afterAll(() => project.cleanup());

  it(`holds for ${PUSH_FORMS.length} forms through the hook`, async () => {
    const verdictOf = async (command: string): Promise<string> => {
      const run = await runHookHere('pre-tool-use', preToolUseInput(project.repo.dir, 'Bash', { command }), {
        home: project.home,
      });
      expect(run.code).toBe(0);
      return run.output?.hookSpecificOutput.permissionDecision ?? 'pass';
    };
    const got: Array<[string, string]> = [];
    for (let i = 0; i < PUSH_FORMS.length; i += 4) {
      const batch = PUSH_FORMS.slice(i, i + 4);
      const verdicts = await Promise.all(batch.map(([command]) => verdictOf(command)));
      batch.forEach(([command], k) => got.push([command, verdicts[k] ?? '']));
    }
    expect(got).toEqual(PUSH_FORMS.map(([command, verdict]) => [command, verdict]));
  });

  it('lets a PostToolBatch through its edit gate when a call edited, or when it cannot read the batch', () => {
    const calls = (...tools: unknown[]) => ({ tool_calls: tools.map((tool_name) => ({ tool_name, tool_input: {} })) });
    expect(mayHoldEdits(calls('Read', 'Bash', 'mcp__taskhooks__manage_task'))).toBe(false);
    expect(mayHoldEdits({ hook_event_name: 'PostToolBatch' })).toBe(false);
    for (const tool of ['Edit', 'Write', 'MultiEdit', 'NotebookEdit'])
      expect(mayHoldEdits(calls('Read', tool))).toBe(true);
    // Anything odd goes the full way, where the schema and the log see it.
    for (const odd of [null, [], 'x', { tool_calls: 'x' }, { tool_calls: [null] }, calls(7)])
      expect(mayHoldEdits(odd)).toBe(true);
  });

  it('lets the cheap pre-filter through every form the parser speaks about', () => {
    const through = (command: string): [string, boolean] => [
      command,
      mayBeWatched({ tool_name: 'Bash', tool_input: { command } }),
    ];
    for (const [command, verdict] of [...PUSH_FORMS, ...DISGUISED_FORMS, ...RUN_FORMS]) {
      // A form the guard denies or asks about must reach it, whatever the parser makes of it.
      if (verdict !== 'pass') expect(through(command)).toEqual([command, true]);
      const speaks = gitInvocations(command).some(
        (g) => g.subcommand === 'push' || g.subcommand === 'commit' || g.subcommand === null || g.unlisted,
      );
      if (speaks) expect(through(command)).toEqual([command, true]);
    }
    // Most calls still stop there: git's own commands, a path under .git, a name holding "git", code naming no git.
    for (const command of [
      'npm test',
      'git status',
      'git -C sub diff --stat',
      'cat .git/config',
      'npm i simple-git',
      "python3 -c 'print(1)'",
      "find . -name '*.ts' -exec grep -l foo {} \\;",
    ])
      expect(through(command)).toEqual([command, false]);
  });

  /** The guard's decision on a command, read and judged in this process as the built hook does. */
  const decided = async (command: string): Promise<Verdict> => {
    const call = await readGitCall(command);
    const guards = { protectedPaths: [], protectedBranches: ['main'], requireActiveTask: 'off' as const };
    const args = { guards, root: project.repo.dir, branch: 'feature', inProgress: undefined, next: undefined };
    return call ? (evaluateGuards({ ...args, call })?.decision ?? 'pass') : 'pass';
  };

  it(`holds for ${DISGUISED_FORMS.length} disguised forms, and lets their look-alikes pass`, async () => {
    const got = await Promise.all(DISGUISED_FORMS.map(async ([command]) => [command, await decided(command)]));
    expect(got).toEqual(DISGUISED_FORMS.map(([command, verdict]) => [command, verdict]));
    // The hook reads them alike: one of each kind.
    for (const [command, verdict] of [
      ['git send-pack origin main', 'deny'],
      ['echo git push origin main | sh', 'deny'],
      ['cat push.sh | sh', 'ask'],
      ['echo git push origin main | tee notes.md', 'pass'],
    ] as const) {
      const run = await runHookHere('pre-tool-use', preToolUseInput(project.repo.dir, 'Bash', { command }), {
        home: project.home,
      });
      expect([command, run.output?.hookSpecificOutput.permissionDecision ?? 'pass']).toEqual([command, verdict]);
    }
  });

  it(`holds for ${RUN_FORMS.length} commands that run a command from a string or under another name`, async () => {
    const got = await Promise.all(RUN_FORMS.map(async ([command]) => [command, await decided(command)]));
    expect(got).toEqual(RUN_FORMS.map(([command, verdict]) => [command, verdict]));
  });

  it('answers them alike through the command hook and in the monitor, which serves PreToolUse', async () => {
    // The eight spellings that pushed past the guard, an alias from config, inline code and two everyday commands.
    const sample = [
      ...RUN_FORMS.slice(0, 8),
      ...RUN_FORMS.filter(([c]) =>
        /^(git p origin main|python3 -c 'import os; os.system\("git push origin feature|find \. -name '\*\.ts'|make test)/.test(
          c,
        ),
      ),
    ];
    expect(sample).toHaveLength(12);
    const services = productionServices(hookEnv(project.home));
    const cache = openCache({ home: project.home });
    try {
      for (const [k, [command, verdict]] of sample.entries()) {
        // Sessions of their own: a call one host answered is not answered again by the other.
        const input = (host: string) => preToolUseInput(project.repo.dir, 'Bash', { command }, `${host}-${k}`);
        const built = await runHookHere('pre-tool-use', input('built'), { home: project.home });
        const served = (await services.runHook('pre-tool-use', input('served'), { cache, log: silentLogger() })) as {
          hookSpecificOutput?: { permissionDecision?: string };
        } | null;
        expect([
          command,
          built.output?.hookSpecificOutput.permissionDecision ?? 'pass',
          served?.hookSpecificOutput?.permissionDecision ?? 'pass',
        ]).toEqual([command, verdict, verdict]);
      }
    } finally {
      cache.close();
    }
  });

  it('names the rule in every verdict', async () => {
    const reason = async (command: string) =>
      (
        await runHookHere('pre-tool-use', preToolUseInput(project.repo.dir, 'Bash', { command }), {
          home: project.home,
        })
      ).output?.hookSpecificOutput.permissionDecisionReason;
    expect(await reason('env -i git push origin main')).toBe(
      'git push to branch main is refused: "main" is in hooks.guards.protectedBranches; push to another branch and open a pull request.',
    );
    expect(await reason('B=main; git push origin $B')).toBe(
      'git push to a branch that cannot be known before the command runs (a variable, a command substitution, a pattern, or a `cd`, checkout or push setting that the guard cannot follow) may push to a protected branch ("main" in hooks.guards.protectedBranches), so it needs the user\'s confirmation; spell the branch out to let the guard check it.',
    );
    expect(await reason('git p origin main')).toBe(
      'git p, which is not a command git ships (an alias or an extension), may push to a protected branch ("main" in hooks.guards.protectedBranches), so it needs the user\'s confirmation; run the git command it stands for to let the guard check it.',
    );
    expect(await reason('python3 -c \'import os; os.system("git push origin feature")\'')).toBe(
      'python3 code that names git (the guard reads only the command lines spelled out in its strings) may push to a protected branch ("main" in hooks.guards.protectedBranches), so it needs the user\'s confirmation; run the git command itself in the shell to let the guard check it.',
    );
  });

  it('reads commits through the same rewordings, for the reminder', () => {
    const subs = (c: string) => gitInvocations(c).map((g) => g.subcommand);
    expect(subs("timeout 60 bash -c 'git add -A && git commit -qm wip'")).toEqual(['add', 'commit']);
    expect(
      subs('git commit -m "$(cat <<\'EOF\'\nsubject\n\nbody with ) and " and `ticks`\nEOF\n)" && git push'),
    ).toEqual(['commit', 'push']);
  });
});

describe('protected paths through symlinks and letter case', () => {
  let tmp: string;
  let root: string;
  const guards = { protectedPaths: ['secrets/**'], protectedBranches: [], requireActiveTask: 'off' as const };
  const decide = (file: string, caseInsensitive?: (p: string) => boolean) =>
    evaluateGuards({
      guards,
      call: { kind: 'edit', tool: 'Write', file },
      root,
      branch: 'main',
      inProgress: undefined,
      next: undefined,
      ...(caseInsensitive ? { caseInsensitive } : {}),
    })?.decision;

  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'th-guard-paths-'));
    root = path.join(tmp, 'project');
    mkdirSync(path.join(root, 'secrets'), { recursive: true });
    writeFileSync(path.join(root, 'secrets', 'key'), 'k');
    mkdirSync(path.join(tmp, 'elsewhere'));
    // A folder that leads into the protected one, a file link, a link to a file not written yet, and a protected
    // folder name that is itself a link to somewhere outside.
    symlinkSync(path.join(root, 'secrets'), path.join(root, 'public'));
    symlinkSync(path.join(root, 'secrets', 'key'), path.join(root, 'key-link'));
    symlinkSync(path.join(root, 'secrets', 'new.txt'), path.join(root, 'dangling'));
    symlinkSync(path.join(tmp, 'elsewhere'), path.join(root, 'secrets', 'linked'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('follows symlinked folders and files, also to files not created yet', () => {
    expect(decide(path.join(root, 'public', 'key'))).toBe('deny');
    expect(decide(path.join(root, 'public', 'not-yet', 'deeper.txt'))).toBe('deny');
    expect(decide(path.join(root, 'key-link'))).toBe('deny');
    expect(decide(path.join(root, 'dangling'))).toBe('deny');
    expect(decide(path.join(root, 'src', '..', 'public', 'x'))).toBe('deny');
    expect(realLocation(path.join(root, 'dangling'))).toBe(path.join(realLocation(root), 'secrets', 'new.txt'));
  });

  it("checks the link's own location too", () => {
    expect(decide(path.join(root, 'secrets', 'linked', 'x.txt'))).toBe('deny');
    expect(decide(path.join(root, 'src', 'index.ts'))).toBeUndefined();
  });

  it('compares letter case as the file system does', () => {
    // Detected on the real file system: a second name for the same directory means case does not matter.
    const probe = path.join(tmp, 'Probe');
    mkdirSync(probe);
    let sameFile = false;
    try {
      sameFile = statSync(path.join(tmp, 'pROBE')).ino === statSync(probe).ino;
    } catch {
      sameFile = false;
    }
    expect(caseInsensitiveAt(probe)).toBe(sameFile);
    expect(decide(path.join(root, 'Secrets', 'key'))).toBe(sameFile ? 'deny' : undefined);
    // Where the file system ignores case, `Secrets/` is the protected folder.
    expect(decide(path.join(root, 'Secrets', 'key'), () => true)).toBe('deny');
    expect(decide(path.join(root, 'SECRETS', 'new'), () => true)).toBe('deny');
    expect(decide(path.join(root, 'Secrets', 'key'), () => false)).toBeUndefined();
  });

  it('denies through the hook an edit reaching a protected folder by a symlink', async () => {
    const project = demoProject({ config: { hooks: { guards: { protectedPaths: ['secrets/**'] } } } });
    try {
      mkdirSync(path.join(project.repo.dir, 'secrets'));
      symlinkSync('secrets', path.join(project.repo.dir, 'docs'));
      const run = await runHookHere(
        'pre-tool-use',
        preToolUseInput(project.repo.dir, 'Write', { file_path: path.join(project.repo.dir, 'docs', 'token.txt') }),
        {
          home: project.home,
        },
      );
      expect(run.output?.hookSpecificOutput.permissionDecision).toBe('deny');
      expect(run.output?.hookSpecificOutput.permissionDecisionReason).toBe(
        'secrets/token.txt is protected by the rule "secrets/**" in hooks.guards.protectedPaths; ask the user to change it or the rule.',
      );
    } finally {
      project.cleanup();
    }
  });
});

describe('guards when the cache fails', () => {
  const GUARDS = { protectedBranches: ['main'], protectedPaths: ['*.pem'], requireActiveTask: 'deny' };
  /** A push to the protected branch and a write to a protected file, as two sessions of `project` ask them. */
  const calls = async (project: ReturnType<typeof demoProject>) => {
    const { dir } = project.repo;
    const push = await runHook(
      'pre-tool-use',
      { ...preToolUseInput(dir, 'Bash', { command: 'git push origin main' }), session_id: 's-push' },
      { home: project.home },
    );
    const write = await runHook(
      'pre-tool-use',
      {
        ...preToolUseInput(dir, 'Write', { file_path: path.join(dir, 'key.pem'), content: '' }),
        session_id: 's-write',
      },
      { home: project.home },
    );
    return [push, write].map((r) => [
      r.code,
      r.output?.hookSpecificOutput.permissionDecision,
      r.output?.hookSpecificOutput.permissionDecisionReason,
    ]);
  };
  const HELD = [
    [
      0,
      'deny',
      'git push to branch main is refused: "main" is in hooks.guards.protectedBranches; push to another branch and open a pull request.',
    ],
    [
      0,
      'deny',
      'key.pem is protected by the rule "*.pem" in hooks.guards.protectedPaths; ask the user to change it or the rule.',
    ],
  ];

  it('still apply the protected branches and paths while another process holds a long write; requireActiveTask, which needs the tasks, stays silent', async () => {
    const project = demoProject({ config: { hooks: { guards: GUARDS } } });
    try {
      // The cache as a monitor mid-write holds it: the hooks' own writes wait for the lock past their busy timeout.
      withHomeCache(project.home, () => undefined);
      const writer = openDatabase(path.join(project.home, 'cache.db'));
      writer.prepare('BEGIN IMMEDIATE').run();
      try {
        expect(await calls(project)).toEqual(HELD);
        const { dir } = project.repo;
        const edit = await runHook(
          'pre-tool-use',
          { ...preToolUseInput(dir, 'Edit', { file_path: path.join(dir, 'a.ts') }), session_id: 's-edit' },
          { home: project.home },
        );
        expect([edit.code, edit.stdout]).toEqual([0, '']);
      } finally {
        writer.prepare('ROLLBACK').run();
        writer.close();
      }
      expect(readFileSync(path.join(project.home, 'logs', 'hooks.log'), 'utf8')).toContain(
        'answering from the settings alone',
      );
    } finally {
      project.cleanup();
    }
  });
});
