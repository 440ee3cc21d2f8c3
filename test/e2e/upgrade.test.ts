// An upgrade that takes, with the real Claude Code CLI: a project installed by the previous build (the last commit at
// version 0.1.0, built from git into the test's temp folder) with its monitor running, then this build's `install`.
// The old monitor is replaced, said in one line, and a session gets this build's task tools, which answer; the store,
// a task with a note, moves on to this build's schema with nothing lost.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claudeEnv, claudeWorld, messagesStub, runClaude, trustFolder } from '../helpers/claude.js';
import { hookEnv, ROOMY_DEADLINES, ROOT } from '../helpers/hooks.js';
import { machineNode } from '../helpers/node-versions.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The newest commit at version 0.1.0: the parent of the one that moved package.json off it. */
function previousBuildCommit(): string {
  const bump = execFileSync('git', ['log', '-n1', '--format=%H', '-S"version": "0.1.0"', '--', 'package.json'], {
    cwd: ROOT,
    encoding: 'utf8',
  }).trim();
  if (!bump) throw new Error('no commit of package.json left version 0.1.0: the history this test needs is missing');
  return execFileSync('git', ['rev-parse', `${bump}^`], { cwd: ROOT, encoding: 'utf8' }).trim();
}

/** The previous build's package in `dir`: its files from git (no checkout, no worktree), built with this clone's modules. */
function buildPrevious(dir: string): string {
  const root = path.join(dir, 'previous');
  mkdirSync(root);
  const archive = execFileSync('git', ['archive', previousBuildCommit()], { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', root], { input: archive });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'));
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'pipe', timeout: 300_000 });
  return root;
}

/** The tool_result blocks of a Messages API request body. */
function toolResults(body: string): unknown[] {
  const { messages } = JSON.parse(body) as { messages: Array<{ content: unknown }> };
  return messages
    .flatMap((m) => (Array.isArray(m.content) ? (m.content as Array<{ type?: string }>) : []))
    .filter((c) => c.type === 'tool_result');
}

describe('an upgrade over a project installed by the previous build', () => {
  it('replaces its running monitor at install, and a session then gets and calls the task tools', async () => {
    const w = claudeWorld({ hooks: ROOMY_DEADLINES }, cleanups);
    const { home, taskhooksHome } = w;
    const repo = { dir: w.dir };
    const previous = buildPrevious(path.dirname(home));
    // A person's shell: monitors may start.
    const env = { ...hookEnv(taskhooksHome), HOME: home, NO_COLOR: '1', TASKHOOKS_NO_AUTOSTART: '0' };
    // The previous build has only better-sqlite3, whose addon is built for the machine's own Node.
    const nodeFor = (root: string) =>
      root === previous ? (machineNode()?.node ?? process.execPath) : process.execPath;
    const run = (root: string, args: string[]) => {
      const r = spawnSync(nodeFor(root), [path.join(root, 'dist', 'cli.js'), ...args], {
        cwd: repo.dir,
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(r.status, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
      return r.stdout;
    };
    const monitorInfo = () =>
      JSON.parse(readFileSync(path.join(taskhooksHome, 'monitor.json'), 'utf8')) as {
        pid: number;
        version?: string;
        buildId?: string;
        codeRoot?: string;
      };

    run(previous, ['monitor', 'start']);
    run(previous, ['install']);
    run(previous, ['tasks', 'add', 'Add coupon codes']);
    run(previous, ['tasks', 'note', 'TASK-001', 'the codes come from marketing']);
    const old = monitorInfo();
    expect(old.codeRoot).toBe(previous);
    expect(old.buildId).toBeUndefined();

    const install = run(ROOT, ['install']);
    const replaced = install.split('\n').filter((l) => l.includes('replaced the monitor of another build'));
    expect(replaced).toEqual([expect.stringContaining(`(pid ${old.pid}, taskhooks ${old.version} (no build id`)]);
    const built = JSON.parse(readFileSync(path.join(ROOT, 'dist', 'BUILD'), 'utf8')) as { buildId: string };
    expect(monitorInfo()).toMatchObject({ buildId: built.buildId, codeRoot: ROOT });

    // The folder trusted, as a person's first interactive start records it, kept beside the task tools install wrote
    // into the same file (the project's local scope).
    trustFolder(home, repo.dir);
    const tool = 'mcp__taskhooks__list_tasks';
    const api = await messagesStub([{ tool, input: {} }]);
    cleanups.push(() => api.close());
    const session = await runClaude(
      repo.dir,
      { ...claudeEnv(home, taskhooksHome, api.url), ENABLE_TOOL_SEARCH: 'false' },
      ['--allowedTools', tool],
    );
    expect(session.code, session.stderr).toBe(0);
    const first = api.requests.find((body) => body.includes('"messages"')) ?? '';
    expect(first).toContain('Next recommended task: TASK-001 \\"Add coupon codes\\"');
    expect(first).toContain(tool);
    // The tool's answer, as the model read it next: the task, not a refused token.
    // Only the tool's own result is read: the whole request holds ids and numbers that may contain "401".
    const answer = JSON.stringify(toolResults(api.requests.at(-1) ?? '{}'));
    expect(answer).toContain('Add coupon codes');
    expect(answer).not.toMatch(/\b401\b|Unauthorized|unknown token/);

    // The store moved on to this build's schema under its monitor, after a checked backup, with nothing lost.
    expect(readdirSync(path.join(taskhooksHome, 'backups')).filter((n) => n.endsWith('-migration.db'))).toHaveLength(1);
    const shown = run(ROOT, ['tasks', 'show', 'TASK-001']);
    expect(shown).toContain('Add coupon codes');
    expect(shown).toContain('the codes come from marketing');
  });
});
