// The real Claude Code CLI runs our SessionStart hook and records its additionalContext in the session transcript,
// even with no model reachable (fake key, a closed loopback port for the API, no retries); with a stand-in API that
// asks for tool calls, it runs PreToolUse and PostToolUse (on a real MCP server's answer) too.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { claudeEnv, hookRecord, messagesStub, runClaude } from '../helpers/claude.js';
import {
  closedPortUrl,
  preToolUseInput,
  ROOMY_DEADLINES,
  ROOT,
  runHook,
  seedSnapshot,
  task,
  unmarked,
  withHomeCache,
  writeConfig,
} from '../helpers/hooks.js';
import { makeRepo } from '../helpers/git.js';
import { readSnapshot } from '../../src/cache/snapshots.js';
import { desiredHooks } from '../../src/install/writing/settings.js';
import { openTaskDb } from '../../src/server/index.js';
import { BUILT_IN_STORE } from '../../src/sources/embedded/notes.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

/** A temp HOME, TASKHOOKS_HOME and git project `shop` whose .claude/settings.json runs one of our hooks. */
function project(
  event: 'SessionStart' | 'PreToolUse',
  matcher: string,
): { home: string; taskhooksHome: string; dir: string } {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-e2e-claude-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  const home = path.join(tmp, 'home');
  mkdirSync(home);
  const repo = makeRepo({ name: 'shop', commits: ['initial commit', 'add cart'] });
  cleanups.push(repo.cleanup);
  mkdirSync(path.join(repo.dir, '.claude'));
  const script = event === 'SessionStart' ? 'session-start.js' : 'pre-tool-use.js';
  const command = `"${process.execPath}" "${path.join(ROOT, 'dist/hooks', script)}"`;
  writeFileSync(
    path.join(repo.dir, '.claude', 'settings.json'),
    JSON.stringify({ hooks: { [event]: [{ matcher, hooks: [{ type: 'command', command, timeout: 10 }] }] } }),
  );
  return { home, taskhooksHome: path.join(tmp, 'taskhooks'), dir: repo.dir };
}

/** A task of project `shop` on branch main in the embedded store under `taskhooksHome`. */
function embeddedTask(taskhooksHome: string, title: string): { id: string } {
  mkdirSync(taskhooksHome, { recursive: true, mode: 0o700 });
  const db = openTaskDb(path.join(taskhooksHome, 'tasks.db'));
  try {
    const shop = db.ensureProject('shop');
    return db.createTask({ projectId: shop.id, gitBranchId: db.ensureBranch(shop.id, 'main').id, title });
  } finally {
    db.close();
  }
}

const inProgress = task('TASK-7', { title: 'Fix the checkout total', status: 'in_progress', priority: 'high' });

describe('Claude Code session with the taskhooks hooks', () => {
  it('records the PreToolUse reminder next to a git commit the model asked for', async () => {
    const { home, taskhooksHome, dir } = project('PreToolUse', 'Edit|Write|MultiEdit|NotebookEdit|Bash');
    seedSnapshot(taskhooksHome, { sourceKey: 'embedded', project: 'shop', branch: 'main', tasks: [inProgress] });
    const api = await messagesStub([
      { tool: 'Bash', input: { command: 'git commit --allow-empty -m wip', description: 'commit the work' } },
    ]);
    cleanups.push(() => void api.close());

    const result = await runClaude(dir, claudeEnv(home, taskhooksHome, api.url), [
      '--allowedTools',
      'Bash(git commit:*)',
    ]);

    expect(result.code).toBe(0);
    const { ran, contexts } = hookRecord(home, 'PreToolUse');
    expect(ran).toMatchObject({ exitCode: 0, stderr: '' });
    expect(contexts.map(unmarked)).toEqual([
      '[taskhooks] Task in progress on branch main: TASK-7 "Fix the checkout total" (status in_progress). Keep this change within it, or update the task when the work moves on.',
    ]);
  });

  it('records the SessionStart task context in the transcript, with no model reachable', async () => {
    const { home, taskhooksHome, dir } = project('SessionStart', 'startup|resume|clear|compact');
    seedSnapshot(taskhooksHome, {
      sourceKey: 'embedded',
      source: BUILT_IN_STORE, // the server that answered, as the built-in store's refresh records it
      project: 'shop',
      branch: 'main',
      tasks: [inProgress],
      next: task('TASK-9', {
        title: 'Add coupon codes',
        priority: 'urgent',
        description: 'Customers asked for percentage coupons.',
      }),
    });

    const result = await runClaude(dir, claudeEnv(home, taskhooksHome, (await closedPortUrl()).replace(/\/mcp$/, '')));

    expect(result.code).not.toBeNull(); // ended by itself, not by the timeout
    const { ran, contexts } = hookRecord(home, 'SessionStart');
    expect(ran).toMatchObject({ exitCode: 0, stderr: '' });
    expect(contexts).toHaveLength(1);
    const context = contexts[0] ?? '';
    expect(context).toMatch(
      /^\[taskhooks\] project shop, branch main: 2 pending tasks \(as of \d+ s ago, from built-in store\)\./,
    );
    expect(context).toContain('Next recommended task: TASK-9 "Add coupon codes" — priority urgent, status todo.');
    expect(context).toContain('Customers asked for percentage coupons.');
    expect(context).toContain('TASK-7 "Fix the checkout total" [in_progress, high]');
    expect(context).toContain('add cart');
  });

  it('runs the async PostToolUse hook install writes on the MCP call the model made, and the next PreToolUse names the task', async () => {
    const { home, taskhooksHome, dir } = project('SessionStart', 'startup|resume|clear|compact');
    // The embedded store, with one task of this project; the session's cached snapshot shows it as todo.
    const created = embeddedTask(taskhooksHome, 'Fix the checkout total');
    seedSnapshot(taskhooksHome, {
      sourceKey: 'embedded',
      project: 'shop',
      branch: 'main',
      tasks: [task(created.id, { title: 'Fix the checkout total' })],
    });
    const { PostToolUse } = desiredHooks({ node: process.execPath, root: ROOT, transport: 'command' });
    writeFileSync(
      path.join(dir, '.claude', 'settings.json'),
      JSON.stringify({ hooks: { PostToolUse: [PostToolUse] } }),
    );
    const mcpConfig = path.join(home, 'mcp.json');
    writeFileSync(
      mcpConfig,
      JSON.stringify({
        mcpServers: {
          // agenthub's family, which this configuration asks for: the hook patches the snapshot from its answer.
          'shop tasks': {
            type: 'stdio',
            command: process.execPath,
            args: [path.join(ROOT, 'dist/cli.js'), 'mcp', '--tools', 'agenthub'],
          },
        },
      }),
    );
    const tool = 'mcp__shop_tasks__manage_task';
    // Claude Code ends a `-p` session without waiting for async hooks: the stand-in model takes the time a real one
    // would before its last answer.
    const api = await messagesStub(
      [{ tool, input: { action: 'update', task_id: created.id, status: 'in_progress' } }],
      { thinkMs: 3000 },
    );
    cleanups.push(() => void api.close());

    // Tool search off, so the stand-in API sees the MCP tools in the request and can ask for one.
    const env = { ...claudeEnv(home, taskhooksHome, api.url), ENABLE_TOOL_SEARCH: 'false' };
    const result = await runClaude(dir, env, [
      '--mcp-config',
      mcpConfig,
      '--strict-mcp-config',
      '--allowedTools',
      tool,
    ]);

    expect(result.code).toBe(0);
    const snap = withHomeCache(taskhooksHome, (s) =>
      readSnapshot(s, { sourceKey: 'embedded', project: 'shop', branch: 'main' }),
    );
    expect(snap?.tasks.map((t) => [t.id, t.status])).toEqual([[created.id, 'in_progress']]);
    const edit = await runHook('pre-tool-use', preToolUseInput(dir, 'Edit', { file_path: path.join(dir, 'cart.ts') }), {
      home: taskhooksHome,
    });
    expect(edit.output?.hookSpecificOutput.additionalContext).toContain(
      `${created.id} "Fix the checkout total" (status in_progress)`,
    );
  });

  it('Claude starts a task through the embedded MCP server, and the PreToolUse of its next edit names that task', async () => {
    const { home, taskhooksHome, dir } = project('SessionStart', 'startup|resume|clear|compact');
    const created = embeddedTask(taskhooksHome, 'Fix the checkout total');
    writeConfig(taskhooksHome, { hooks: ROOMY_DEADLINES });
    // Every hook install writes, as commands; the session starts knowing the task as todo.
    const { SessionStart, PreToolUse, PostToolUse } = desiredHooks({
      node: process.execPath,
      root: ROOT,
      transport: 'command',
    });
    writeFileSync(
      path.join(dir, '.claude', 'settings.json'),
      JSON.stringify({ hooks: { SessionStart: [SessionStart], PreToolUse: [PreToolUse], PostToolUse: [PostToolUse] } }),
    );
    const mcpConfig = path.join(home, 'mcp.json');
    writeFileSync(
      mcpConfig,
      JSON.stringify({
        mcpServers: {
          taskhooks: { type: 'stdio', command: process.execPath, args: [path.join(ROOT, 'dist/cli.js'), 'mcp'] },
        },
      }),
    );
    // The session's own tool, with the session's project taken from the folder `taskhooks mcp` was started in.
    const tool = 'mcp__taskhooks__update_task';
    const api = await messagesStub([
      { tool, input: { id: created.id, status: 'in_progress' } },
      { tool: 'Write', input: { file_path: path.join(dir, 'total.ts'), content: 'export const total = 0;\n' } },
    ]);
    cleanups.push(() => void api.close());

    const env = { ...claudeEnv(home, taskhooksHome, api.url), ENABLE_TOOL_SEARCH: 'false' };
    const result = await runClaude(dir, env, [
      '--mcp-config',
      mcpConfig,
      '--strict-mcp-config',
      '--allowedTools',
      `${tool},Write`,
    ]);

    expect(result.code).toBe(0);
    expect(hookRecord(home, 'SessionStart').contexts.join('\n')).toContain(
      `${created.id} "Fix the checkout total" — priority medium, status todo`,
    );
    const { ran, contexts } = hookRecord(home, 'PreToolUse');
    expect(ran).toMatchObject({ exitCode: 0, stderr: '' });
    expect(contexts.map(unmarked)).toEqual([
      `[taskhooks] Task in progress on branch main: ${created.id} "Fix the checkout total" (status in_progress). Keep this change within it, or update the task when the work moves on.`,
    ]);
  });
});
