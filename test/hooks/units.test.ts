// The pure pieces of the hooks: shell reading, globs, hook input, the trace's words.
import { describe, expect, it } from 'vitest';
import { gitInvocations } from '../../src/hooks/guards/bash.js';
import { pushTargets } from '../../src/hooks/guards/guards.js';
import { GlobBudgetError, globBudget, matchesGlob } from '../../src/hooks/guards/glob.js';
import { mayBeWatched } from '../../src/hooks/guards/prefilter.js';
import { parseHookInput } from '../../src/hooks/input/schema.js';
import { parseStatusInput } from '../../src/statusline/input-schema.js';
import { plainHookInput, readHookInput } from '../../src/hooks/input/read.js';
import { explain, type Fact } from '../../src/hooks/trace.js';

describe('gitInvocations and pushTargets', () => {
  it('finds git subcommands across shell separators, wrappers and global options', () => {
    const subs = (c: string) => gitInvocations(c).map((g) => g.subcommand);
    expect(subs('npm test && git -C sub -c a=b commit -m "x; y" || echo no')).toEqual(['commit']);
    expect(subs('GIT_TRACE=1 git push; (cd a && git status)')).toEqual(['push', 'status']);
    expect(subs('echo git commit')).toEqual([]);
    expect(subs('legit push')).toEqual([]);
  });

  it('reads push destinations', () => {
    expect(pushTargets(['origin', 'HEAD:refs/heads/main'], 'feat')).toEqual({
      branches: ['main'],
      all: false,
      unknown: false,
    });
    expect(pushTargets(['-u', 'origin'], 'feat')).toEqual({ branches: ['feat'], all: false, unknown: false });
    expect(pushTargets(['origin', '+dev', 'x:release/1'], null)).toEqual({
      branches: ['dev', 'release/1'],
      all: false,
      unknown: false,
    });
    expect(pushTargets(['--all', 'origin'], 'feat').all).toBe(true);
    // After a word only running the command would tell, every known word may be a refspec, and none is certain.
    expect(pushTargets(['origin', null], 'feat')).toEqual({ branches: ['origin'], all: false, unknown: true });
    expect(pushTargets([null], 'main')).toEqual({ branches: [], all: false, unknown: true });
    expect(pushTargets(['origin', 'refs/heads/*:refs/heads/*'], 'feat')).toEqual({
      branches: [],
      all: false,
      unknown: true,
    });
  });
});

describe('matchesGlob', () => {
  it('follows gitignore-like rules', () => {
    expect(matchesGlob('certs/a.pem', '*.pem')).toBe(true);
    expect(matchesGlob('a/secrets/b.txt', 'secrets')).toBe(true);
    expect(matchesGlob('migrations/2024/001.sql', 'migrations/**')).toBe(true);
    expect(matchesGlob('src/migrations.ts', 'migrations/**')).toBe(false);
    expect(matchesGlob('a/b/c.lock', '**/*.lock')).toBe(true);
    expect(matchesGlob('c.lock', '**/*.lock')).toBe(true);
    expect(matchesGlob('src/a.ts', 'src/*.js')).toBe(false);
    expect(matchesGlob('release/1.2', 'release/*')).toBe(true);
    expect(matchesGlob('Secrets/a', 'secrets/**')).toBe(false);
    expect(matchesGlob('Secrets/a', 'secrets/**', { ignoreCase: true })).toBe(true);
  });

  it('reads a backtracking shape in one pass, and stops a rule set past its budget', () => {
    const deep = `${Array.from({ length: 40 }, (_, i) => `d${i}`).join('/')}/file.txt`;
    for (const n of [4, 6, 8, 64]) {
      expect(matchesGlob(deep, `${'**/'.repeat(n)}z`)).toBe(false);
      expect(matchesGlob(`${deep}/z`, `${'**/'.repeat(n)}z`)).toBe(true);
    }
    expect(() => matchesGlob('a', 'a'.repeat(1001))).toThrow(GlobBudgetError);
    const budget = globBudget();
    expect(() => {
      for (;;) matchesGlob('a'.repeat(4000), '*a'.repeat(500), { budget });
    }).toThrow(/steps to check/);
  });
});

describe('hook input', () => {
  it('accepts extra fields and rejects wrong types with a path', () => {
    const ok = parseHookInput({
      session_id: 's',
      cwd: '/x',
      prompt_id: 'p',
      effort: { level: 'high' },
      tool_input: { command: 'ls', timeout: 5 },
    });
    expect(ok.ok).toBe(true);
    const bad = parseHookInput({ cwd: 7 });
    expect(bad).toMatchObject({ ok: false, reason: expect.stringContaining('cwd') });
  });

  it('says the first problem in one line: where (the input itself at the top) and what', () => {
    expect(parseHookInput({ tool_input: { file_path: 7 } })).toEqual({
      ok: false,
      reason: expect.stringMatching(/^hook input rejected: tool_input\.file_path: \S/),
    });
    expect(parseHookInput('text')).toEqual({
      ok: false,
      reason: expect.stringMatching(/^hook input rejected: input: \S/),
    });
    expect(parseStatusInput({ workspace: { current_dir: 7 } })).toEqual({
      ok: false,
      reason: expect.stringMatching(/^status-line input rejected: workspace\.current_dir: \S/),
    });
  });

  it('reads plainly conforming input without the schema, and agrees with the schema on every input', async () => {
    const inputs: unknown[] = [
      {
        session_id: 's',
        cwd: '/x',
        tool_name: 'Edit',
        tool_input: { file_path: '/a', old_string: 'a' },
        effort: { level: 'high' },
      },
      { cwd: '/x', hook_event_name: 'SessionStart', source: 'startup', extra: [1, 2] },
      {},
      { cwd: 7 },
      { cwd: null },
      { tool_input: 'ls' },
      { tool_input: { command: ['git', 'push'] } },
      { tool_input: [] },
      [],
      'text',
      null,
      undefined,
    ];
    for (const value of inputs) {
      const plain = plainHookInput(value);
      const schema = parseHookInput(value);
      if (plain) expect(schema).toEqual({ ok: true, input: plain });
      expect(await readHookInput(value)).toEqual(schema);
    }
    expect(plainHookInput(inputs[0])).toBeDefined();
    expect(plainHookInput({ cwd: 7 })).toBeUndefined();
  });

  it('lets only well-formed unwatched calls skip the full path', () => {
    expect(mayBeWatched({ tool_name: 'Read', tool_input: { file_path: '/a' } })).toBe(false);
    expect(mayBeWatched({ tool_name: 'Bash', tool_input: { command: 'ls' } })).toBe(false);
    expect(mayBeWatched({ tool_name: 'Bash', tool_input: { command: 'git commit -m x' } })).toBe(true);
    expect(mayBeWatched({ tool_name: 'Bash', tool_input: { command: 'cd "$DIR" && git status' } })).toBe(true);
    expect(mayBeWatched({ tool_name: 'Bash', tool_input: { command: 'echo "$HOME" && git status' } })).toBe(true);
    expect(mayBeWatched({ tool_name: 'Bash', tool_input: { command: 'echo "$HOME" && ls' } })).toBe(false);
    expect(mayBeWatched({ tool_name: 'Edit', tool_input: { file_path: '/a' } })).toBe(true);
    expect(mayBeWatched({ tool_name: 'Read', tool_input: 'nonsense' })).toBe(true);
    expect(mayBeWatched(undefined)).toBe(true);
  });
});

describe('the hooks’ trace', () => {
  it('words every kind of fact in one line, and keeps the order the hook recorded them in', () => {
    // One of each kind: the compiler asks for a sample when a kind is added, so none goes unworded.
    const samples: { [K in Fact['kind']]: Extract<Fact, { kind: K }> } = {
      'input-refused': { kind: 'input-refused', reason: 'stdin is not JSON' },
      'not-wanted': { kind: 'not-wanted', hook: 'pre-tool-use', under: 'input' },
      'answered-elsewhere': { kind: 'answered-elsewhere', hook: 'session-start' },
      rescued: { kind: 'rescued' },
      'no-sqlite': { kind: 'no-sqlite', reason: 'no SQLite library: Node v20.20.2 has no node:sqlite' },
      'missed-hooks': { kind: 'missed-hooks', ports: [4000], expected: 4002 },
      'no-cwd': { kind: 'no-cwd' },
      'stray-hooks': { kind: 'stray-hooks', ports: [20002], monitorPort: 41234, ended: 4321 },
      'store-squat': { kind: 'store-squat', port: 20003, uid: 65534, ended: 4321 },
      'no-session': { kind: 'no-session', alsoCwd: true },
      scope: { kind: 'scope', project: 'shop', branch: '' },
      snapshot: { kind: 'snapshot', fetchedAt: 0, stale: true },
      'tool-ignored': { kind: 'tool-ignored', tool: 'Read', why: 'not-watched' },
      'bash-no-git': { kind: 'bash-no-git' },
      'bash-unread': { kind: 'bash-unread', read: false },
      offline: { kind: 'offline' },
      'cached-tasks': { kind: 'cached-tasks', cached: { state: 'fresh', ageMs: 5000, ttlSeconds: 900 } },
      fetched: {
        kind: 'fetched',
        outcome: { via: 'live', ms: 42, setting: 'hooks.sessionStartDeadlineMs', budgetMs: 1500 },
        cached: { state: 'none' },
      },
      'in-progress': { kind: 'in-progress', unknown: true },
      policy: { kind: 'policy', decision: 'deny', reason: 'key.pem is protected' },
      reminder: { kind: 'reminder', said: 'first' },
      'claims-elsewhere': { kind: 'claims-elsewhere', taskIds: ['T-1', 'T-2'] },
      git: { kind: 'git', read: 'cached', ttlSeconds: 30 },
      'told-once': { kind: 'told-once', what: 'alerts', count: 2, preview: true },
      warned: { kind: 'warned', what: ['silent-monitor', 'unguarded-install'] },
      rendered: { kind: 'rendered', chars: 812, budget: 4000, omitted: ['git'] },
      patched: { kind: 'patched', ids: [], unknown: ['T-9'] },
      'marked-stale': { kind: 'marked-stale', reason: 'its answer is prose' },
      'store-told': { kind: 'store-told' },
      news: { kind: 'news', changes: 1 },
      retold: { kind: 'retold', what: 'session-start' },
      'session-ended': { kind: 'session-ended', reason: 'exit', forgotten: 3 },
      'work-recorded': { kind: 'work-recorded', recorded: 1 },
      subagent: { kind: 'subagent', held: 'T-1' },
    };
    const lines = explain(Object.values(samples));
    expect(lines).toHaveLength(Object.keys(samples).length);
    for (const line of lines) expect(line).toMatch(/^\S.*\S$/);
    expect(lines).toContain('scope: project shop, branch (none)');
    expect(lines).toContain(
      'hooks post to 127.0.0.1:20002, where another process listens (the monitor: 41234): session stopped, its process 4321 ended',
    );
    expect(lines).toContain('snapshot: from 1970-01-01T00:00:00.000Z, a change made since');
    expect(lines).toContain('tasks: no cached snapshot; fetched live in 42 ms (hooks.sessionStartDeadlineMs 1500 ms)');
    expect(lines).toContain('in progress: unknown (the source answers in prose)');
    expect(lines).toContain('warned: silent-monitor, unguarded-install');
    expect(lines).toContain('policy: deny — key.pem is protected');
    expect(lines).toContain('patched: none; not in the snapshot, so it is stale now: T-9');
    expect(lines).toContain('alerts: 2 not shown before (left unshown by this preview)');
    expect(explain([samples.reminder, samples.scope])).toEqual([
      'reminder: first edit, commit or push of the session',
      'scope: project shop, branch (none)',
    ]);
  });
});
