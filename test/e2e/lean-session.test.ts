// The real Claude Code CLI with taskhooks wired through either route — `taskhooks install` (settings and .mcp.json)
// and the plugin (hooks/hooks.json and the manifest's server) — the model stood in on loopback: a tool call reaches
// taskhooks through an `mcp_tool` hook served by `taskhooks mcp`, with no process of its own, and nothing is lost.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  claudeEnv,
  type ClaudeWorld,
  claudeWorld,
  hookAttachments,
  messagesStub,
  runClaude,
} from '../helpers/claude.js';
import { ROOMY_DEADLINES, ROOT } from '../helpers/hooks.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The e2e world of these tests: embedded source, roomy deadlines, a protected main. */
const world = (): ClaudeWorld =>
  claudeWorld({ hooks: { ...ROOMY_DEADLINES, guards: { protectedBranches: ['main'] } } }, cleanups);

const ROUTES = {
  install: { server: 'taskhooks', args: [] as string[] },
  plugin: { server: 'plugin:taskhooks:taskhooks', args: ['--plugin-dir', ROOT] },
};

/** What each route needs before a session: install writes the project's files; the plugin comes with the session. */
async function wire(w: ReturnType<typeof world>, route: keyof typeof ROUTES): Promise<void> {
  if (route === 'install') await w.cli(['install']);
}

describe.each(Object.keys(ROUTES) as Array<keyof typeof ROUTES>)('the %s route', (route) => {
  it('puts the task in the first request, and serves every tool call through the MCP tool, the push guard included', async () => {
    const w = world();
    await w.cli(['tasks', 'add', 'Add coupon codes', '--json']);
    await wire(w, route);
    const file = path.join(w.dir, 'notes.txt');
    const api = await messagesStub([
      { tool: 'Bash', input: { command: 'true', description: 'nothing' } },
      { tool: 'Write', input: { file_path: file, content: 'x' } },
      // The guard reads the whole command: a name spelled with an escape is still git.
      { tool: 'Bash', input: { command: "$'\\x67it' push origin main", description: 'push' } },
    ]);
    cleanups.push(() => api.close());

    const result = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url), [
      '--allowedTools',
      'Bash,Write',
      ...ROUTES[route].args,
    ]);

    expect(result.code).toBe(0);
    const first = api.requests.find((body) => body.includes('"messages"')) ?? '';
    expect(first).toContain('Next recommended task: TASK-001 \\"Add coupon codes\\"');
    const records = hookAttachments(w.home);
    expect(records.filter((r) => r.type !== 'hook_success' && r.type !== 'hook_additional_context')).toEqual([]);
    const ranBy = (event: string) =>
      records.filter((r) => r.type === 'hook_success' && r.hookEvent === event).map((r) => r.command);
    const tool = `${ROUTES[route].server}/hook`;
    // The refused call leaves no success record: its refusal is the tool's result.
    expect(ranBy('PreToolUse')).toEqual([tool, tool]);
    expect(ranBy('PostToolUse')).toEqual([tool, tool]);
    expect(ranBy('PostToolBatch')).toEqual([tool, tool, tool]);
    expect(api.requests.at(-1)).toContain(
      'PreToolUse:Bash hook error: git push to branch main is refused: \\"main\\" is in hooks.guards.protectedBranches',
    );
    expect(existsSync(file)).toBe(true);
  });
});

describe('nothing is lost on the lean route', () => {
  it('a critical task added during a tool call reaches the next request of the same turn, through the MCP tool', async () => {
    const w = world();
    await w.cli(['tasks', 'add', 'Fix the checkout total', '--json']);
    await wire(w, 'install');
    // The tool call says when it runs and lasts until the task is added: the change lands while it runs.
    const started = path.join(w.home, 'tool-started');
    const added = path.join(w.home, 'task-added');
    const command = `touch '${started}'; for i in $(seq 300); do [ -e '${added}' ] && break; sleep 0.2; done`;
    const api = await messagesStub([{ tool: 'Bash', input: { command, description: 'wait for the build' } }]);
    cleanups.push(() => api.close());
    const turn = runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url), ['--allowedTools', 'Bash']);
    while (!existsSync(started)) await new Promise((r) => setTimeout(r, 50));
    const { id } = JSON.parse(
      (await w.cli(['tasks', 'add', 'Checkout is down', '--priority', 'critical', '--json'])).stdout,
    ) as { id: string };
    writeFileSync(added, id);
    expect((await turn).code).toBe(0);

    const news = JSON.stringify(`New critical task on branch main: ${id} (Checkout is down).`).slice(1, -1);
    const afterTool = api.requests.filter((body) => body.includes('"tool_result"'));
    expect(afterTool[0]).toContain(news);
    const told = hookAttachments(w.home).filter(
      (r) => r.type === 'hook_additional_context' && JSON.stringify(r.content).includes('Checkout is down'),
    );
    expect(told).toHaveLength(1);
    expect(['PostToolUse:Bash', 'PostToolBatch']).toContain((told[0] as { hookName?: string }).hookName);
  });

  it('a forked session (--resume ID --fork-session) is told the tasks as they are now', async () => {
    const w = world();
    await w.cli(['tasks', 'add', 'Add coupon codes', '--json']);
    await wire(w, 'install');
    const api = await messagesStub([]);
    cleanups.push(() => api.close());
    const env = claudeEnv(w.home, w.taskhooksHome, api.url);
    const session = randomUUID();
    expect((await runClaude(w.dir, env, ['--session-id', session])).code).toBe(0);
    await w.cli(['tasks', 'add', 'Ship gift cards', '--priority', 'critical', '--json']);
    const before = api.requests.length;

    expect((await runClaude(w.dir, env, ['--resume', session, '--fork-session'])).code).toBe(0);

    // The original session's history holds the old context; only the fork's own SessionStart knows the new task.
    const forked = api.requests.slice(before).find((body) => body.includes('"messages"')) ?? '';
    expect(forked).toContain('Ship gift cards');
    const starts = hookAttachments(w.home).filter((r) => r.type === 'hook_success' && r.hookEvent === 'SessionStart');
    expect(starts.length).toBeGreaterThanOrEqual(2);
  });
});

describe('a session that cannot reach the server', () => {
  it('still works, with no hook error on any tool call: the tool-call hooks become commands, and the session is told', async () => {
    const w = world();
    await w.cli(['tasks', 'add', 'Add coupon codes', '--json']);
    await wire(w, 'install');
    // What Claude Code itself records when the person turns the project's server off.
    const local = path.join(w.dir, '.claude', 'settings.local.json');
    const settings = JSON.parse(readFileSync(local, 'utf8')) as Record<string, unknown>;
    writeFileSync(local, JSON.stringify({ ...settings, disabledMcpjsonServers: ['taskhooks'] }, null, 2));
    const steps = [1, 2, 3].map((n) => ({ tool: 'Bash', input: { command: `echo ${n}`, description: 'echo' } }));
    const api = await messagesStub(steps);
    cleanups.push(() => api.close());

    const result = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url), ['--allowedTools', 'Bash']);

    expect(result.code).toBe(0);
    const records = hookAttachments(w.home);
    expect(records.filter((r) => r.type !== 'hook_success' && r.type !== 'hook_additional_context')).toEqual([]);
    // A command that answers nothing leaves no record; none ran through the server.
    expect(records.filter((r) => r.command === 'taskhooks/hook')).toEqual([]);
    expect(api.requests.filter((body) => body.includes('"tool_result"'))).toHaveLength(3);
    const first = api.requests.find((body) => body.includes('"messages"')) ?? '';
    expect(first).toContain('Next recommended task: TASK-001');
    expect(first).toContain('so its tool-call hooks now run as commands');
    const after = readFileSync(local, 'utf8');
    expect(after).not.toContain('"mcp_tool"');
    expect(after).toContain('/dist/hooks/pre-tool-use.js');
  });
});
