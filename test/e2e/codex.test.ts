// The real Codex CLI with the hooks and the task tools `taskhooks install --agent codex` writes (the monitor's store
// server, in the user's config.toml), the model stood in on loopback: the task tools are offered (found by Codex's tool
// search) and write the session's store, the pending task reaches its first request, a critical task added during a
// tool call reaches the next request of the same turn, the edit reminder reaches it with an edit's result, a patch of a protected path is denied, a
// 23 KB line ending in a push of main is refused before Codex's hook timeout, and Codex and
// Claude Code sessions in two worktrees of the project hear of each other's claims and are told different next tasks.
// The monitor runs, answering the hooks over its socket; with it stopped the node hooks still tell the task and refuse.
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  agentWorld,
  CLI,
  criticalDuringToolTurn,
  heldToolCall,
  inJson,
  pendingBeforeRefusal,
  pendingTaskTurn,
  PROTECTED_SECRETS,
  refusedCall,
  servedToolsEntry,
  twoWorktrees,
  type AgentWorld,
} from '../helpers/agent-world.js';
import { claudeEnv, messagesStub, runClaude } from '../helpers/claude.js';
import { type CodexStep, codexHome, responsesStub, runCodex } from '../helpers/codex.js';
import { bareOrigin, git, longPushChain } from '../helpers/git.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A `tool_search_output` item of a request's input: namespaces of the tools Codex found. */
interface SearchOutput {
  type: string;
  tools?: Array<{ name: string; tools?: Array<{ name: string }> }>;
}

/** The project `shop` with taskhooks installed for Codex (its CODEX_HOME the world's ~/.codex). */
async function world(hooks?: Record<string, unknown>, monitor = true): Promise<AgentWorld> {
  const w = await agentWorld('codex', cleanups, { ...(hooks ? { hooks } : {}), monitor });
  return { ...w, env: { ...w.env, CODEX_HOME: path.join(w.home, '.codex') } };
}

/** A Codex turn in the project against a stand-in that asks for `steps`. */
async function codexTurn(w: AgentWorld, steps: CodexStep[]) {
  const api = await responsesStub(steps);
  cleanups.push(() => api.close());
  codexHome(w.env.CODEX_HOME ?? '', api.url, [w.dir]);
  return { api, run: runCodex(w.dir, w.env) };
}

describe('Codex hears the tasks', () => {
  it("is offered the task tools: its tool search finds the monitor's store server from the user's config.toml", async () => {
    const w = await world();
    // The one entry is the store server's, in the user's own config.toml: nothing in the project, nothing spawned.
    const config = parse(readFileSync(path.join(w.home, '.codex', 'config.toml'), 'utf8')) as Record<string, any>;
    expect(servedToolsEntry(w, config.mcp_servers?.taskhooks)).toBe(true);
    expect(existsSync(path.join(w.dir, '.codex', 'config.toml'))).toBe(false);
    const { api, run } = await codexTurn(w, [{ toolSearch: 'tasks' }]);
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests).toHaveLength(2);
    // Codex defers MCP tools behind its tool_search: the first request offers the search, its answer the tools.
    expect(JSON.parse(api.requests[0] ?? '{}').tools).toContainEqual(expect.objectContaining({ type: 'tool_search' }));
    const found = (JSON.parse(api.requests[1] ?? '{}') as { input: SearchOutput[] }).input
      .filter((i) => i.type === 'tool_search_output')
      .flatMap((i) => i.tools ?? [])
      .find((t) => t.name === 'mcp__taskhooks');
    expect(found?.tools?.map((t) => t.name)).toEqual(expect.arrayContaining(['list_tasks', 'add_task', 'update_task']));
  });

  it("calls a task tool: the monitor's store server writes the store the session's hooks read", async () => {
    const w = await world();
    const id = await w.add('Fix the checkout total');
    const { api, run } = await codexTurn(w, [
      { toolSearch: 'tasks' },
      { mcp: { server: 'taskhooks', tool: 'update_task', args: { id, status: 'in_progress' } } },
    ]);
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    const last = JSON.parse(api.requests.at(-1) ?? '{}') as { input: Array<Record<string, unknown>> };
    const output = last.input.find((i) => i.type === 'function_call_output' && i.call_id === 'call_2');
    expect(JSON.stringify(output)).toContain(`\\"id\\":\\"${id}\\"`);
    const shown = JSON.parse((await w.cli(['tasks', 'show', id, '--json'])).stdout) as { status: string };
    expect(shown.status).toBe('in_progress');
  });

  it('the pending task reaches the first request, from SessionStart', async () => {
    const w = await world();
    const { first, next } = await pendingTaskTurn(w, () => codexTurn(w, []));
    expect(first).toContain(next);
  });

  it('a critical task added while a tool call runs reaches the next request of the same turn', async () => {
    const w = await world();
    const { requests, news } = await criticalDuringToolTurn(w, (shell) => codexTurn(w, [{ shell }]));
    const afterTool = requests.filter((b) => b.includes('"function_call_output"'));
    expect(afterTool.length).toBeGreaterThan(0);
    expect(afterTool[0]).toContain(news);
    expect(requests.filter((b) => !b.includes('"function_call_output"')).join('\n')).not.toContain(news);
  });

  it('the reminder of the task in progress reaches the model with its patch’s result, before the next step', async () => {
    const w = await world();
    const id = await w.add('Fix the checkout total');
    await w.cli(['tasks', 'start', id]);
    const patch = '*** Begin Patch\n*** Add File: notes.txt\n+hello\n*** End Patch\n';
    const { api, run } = await codexTurn(w, [{ patch }]);
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(w.dir, 'notes.txt'))).toBe(true);
    const last = JSON.parse(api.requests.at(-1) ?? '{}') as { input: Array<Record<string, unknown>> };
    const items = last.input.map((i) => JSON.stringify(i));
    // With no guard on, no hook runs before an edit: PostToolUse tells the reminder beside the patch's output.
    expect(items.some((i) => i.includes(`Task in progress on branch main: ${id}`))).toBe(true);
  });

  it('a patch of a protected path is denied before it runs, and the model reads why', async () => {
    const w = await world({ guards: { protectedPaths: ['secrets/**'] } });
    await protectedPatchRefused(w);
  });

  it("a patch naming the protected path through /proc/self/cwd is read as Codex's own folder, and denied", async () => {
    const w = await world({ guards: { protectedPaths: ['secrets/**'] } });
    await protectedPatchRefused(w, '/proc/self/cwd/secrets/key.txt');
  });
});

/** A turn that patches a protected path (`file`): refused before it runs, the reason in its result; the first request. */
async function protectedPatchRefused(w: AgentWorld, file = 'secrets/key.txt'): Promise<string> {
  const patch = `*** Begin Patch\n*** Add File: ${file}\n+x\n*** End Patch\n`;
  const output = (last: string) =>
    JSON.stringify(
      (JSON.parse(last || '{}') as { input: Array<Record<string, unknown>> }).input.find(
        (i) => i.type === 'custom_tool_call_output',
      ),
    );
  const turn = await codexTurn(w, [{ patch }]);
  return refusedCall(turn, path.join(w.dir, 'secrets', 'key.txt'), output, PROTECTED_SECRETS);
}

describe('Codex with a push hidden at the end of a long line', () => {
  it('refuses, before its hook timeout, a 23 KB chain of checkouts and `cd`s that ends in a push of main', async () => {
    const w = await world({ guards: { protectedBranches: ['main'] } });
    const origin = bareOrigin(w.dir, w.tmp);
    const mainBefore = origin.main();
    const shell = longPushChain(w.dir);
    expect(shell.length).toBeGreaterThan(23_000);
    const { api, run } = await codexTurn(w, [{ shell }]);
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    expect(origin.main()).toBe(mainBefore);
    expect(git(w.dir, 'branch', '--show-current').trim()).toBe('feature');
    expect(api.requests.at(-1)).toContain('git push to branch main is refused');
  });
});

describe('Codex with the monitor stopped', () => {
  it('still hears the pending task first, and a guarded call is refused: the node hooks answer', async () => {
    const w = await world({ guards: { protectedPaths: ['secrets/**'] } }, false);
    await pendingBeforeRefusal(w, () => protectedPatchRefused(w));
  });
});

describe('Codex and Claude Code in two worktrees of one project', () => {
  it('Claude Code hears that a Codex session holds a task, and is told the next one', async () => {
    const w = await world();
    const { first, second, other } = await twoWorktrees(w, 'coupons');
    // Codex starts the first task from its shell, then waits while Claude Code starts in the other worktree.
    const tool = heldToolCall(w.home, 'codex-waits');
    const { api, run } = await codexTurn(w, [{ shell: `node '${CLI}' tasks start ${first}` }, { shell: tool.command }]);
    await tool.running();

    const sessions = JSON.parse((await w.cli(['sessions', '--json'])).stdout) as {
      sessions: Array<{ agent?: string; claims: string[] }>;
    };
    expect(sessions.sessions).toEqual([expect.objectContaining({ agent: 'codex', claims: [first] })]);

    const claudeApi = await messagesStub([]);
    cleanups.push(() => claudeApi.close());
    const claude = await runClaude(other, claudeEnv(w.home, w.taskhooksHome, claudeApi.url));
    tool.release();
    expect(claude.code, claude.stderr).toBe(0);
    const told = claudeApi.requests.join('\n');
    expect(told).toContain(
      inJson(`${first} is in progress in a Codex session: worktree ${path.relative(other, w.dir)}`),
    );
    expect(told).toContain(inJson(`Next recommended task: ${second} "Add coupons"`));

    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests[0]).toContain(inJson(`Next recommended task: ${first} "Fix the checkout total"`));
  });

  it('Codex hears that a Claude Code session holds a task, and is told the next one', async () => {
    const w = await world();
    const { first, second, other } = await twoWorktrees(w, 'checkout');
    const tool = heldToolCall(w.home, 'claude-waits');
    const claudeApi = await messagesStub([
      { tool: 'Bash', input: { command: `node '${CLI}' tasks start ${first}` } },
      { tool: 'Bash', input: { command: tool.command } },
    ]);
    cleanups.push(() => claudeApi.close());
    const claude = runClaude(other, claudeEnv(w.home, w.taskhooksHome, claudeApi.url), ['--allowedTools', 'Bash']);
    await tool.running();

    const { api, run } = await codexTurn(w, []);
    const r = await run;
    tool.release();
    expect(r.code, r.stderr).toBe(0);
    const told = api.requests[0] ?? '';
    expect(told).toContain(
      inJson(`${first} is in progress in a Claude Code session: worktree ${path.relative(w.dir, other)}`),
    );
    expect(told).toContain(inJson(`Next recommended task: ${second} "Add coupons"`));
    expect((await claude).code).toBe(0);
  });
});
