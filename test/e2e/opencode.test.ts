// The real OpenCode with what `taskhooks install --agent opencode` writes (the project's opencode.json: taskhooks'
// plugin; the user's own opencode.json: the monitor's store server for the task tools), the model stood in on
// loopback: the pending task reaches its first request beside the task tools, which it calls over the running
// monitor, a critical task added during its shell tool reaches the next request of the same turn with the tool's
// result, a write to a protected path is refused before it runs with the reason as its result, and a session left idle
// is woken by a critical task added from another terminal. With the monitor stopped the turn still ends, without the
// task tools, and the plugin's command entries still tell the task.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  agentWorld,
  CLI,
  criticalDuringToolTurn,
  heldToolCall,
  inJson,
  pendingTaskTurn,
  servedToolsEntry,
  twoWorktrees,
} from '../helpers/agent-world.js';
import { claudeEnv, messagesStub, runClaude } from '../helpers/claude.js';
import { type ChatStep, chatStub, offeredTools, toolMessages } from '../helpers/chat-completions.js';
import { opencodeEnv, runOpencode, serveOpencode } from '../helpers/opencode.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** OpenCode's conversation: a prompt into an idle session is a new turn, and its title request is no turn's. */
const OPENCODE_CHAT = { turnPerUserMessage: true, toolRequestsOnly: true };

/** The project `shop` with taskhooks installed for OpenCode, and a turn there against a stand-in. */
async function world(hooks: Record<string, unknown> = {}, monitor = true) {
  const w = await agentWorld('opencode', cleanups, { hooks, monitor });
  const turn = async (steps: ChatStep[]) => {
    const api = await chatStub(steps, OPENCODE_CHAT);
    cleanups.push(() => api.close());
    return { api, run: runOpencode(w.dir, opencodeEnv(w.env, w.home, api.url)) };
  };
  return { ...w, turn };
}

describe('OpenCode hears the tasks', () => {
  it('the pending task reaches the first request, with the task tools offered', async () => {
    const w = await world();
    let requests: string[] = [];
    const { first, next } = await pendingTaskTurn(w, async () => {
      const t = await w.turn([]);
      requests = t.api.requests;
      return t;
    });
    expect(first).toContain(next);
    expect(offeredTools(requests[0] ?? '{"tools":[]}')).toEqual(
      expect.arrayContaining(['taskhooks_list_tasks', 'taskhooks_add_task', 'taskhooks_update_task']),
    );
    // From the monitor's store server named in the user's own opencode.json: the project's holds the plugin only.
    const user = JSON.parse(readFileSync(path.join(w.home, '.config', 'opencode', 'opencode.json'), 'utf8'));
    expect(servedToolsEntry(w, user.mcp?.taskhooks)).toBe(true);
    expect(readFileSync(path.join(w.dir, 'opencode.json'), 'utf8')).not.toContain('"mcp"');
  });

  it('calls a task tool: the running monitor answers it, and the model reads the answer', async () => {
    const w = await world();
    const id = await w.add('Fix the checkout total');
    const { api, run } = await w.turn([{ tool: 'taskhooks_update_task', args: { id, note: 'Looked at it' } }]);
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests).toHaveLength(2);
    const result = toolMessages(api.requests[1] ?? '').join('\n');
    expect(result).toContain(inJson(`"id":"${id}"`));
    expect((await w.cli(['tasks', 'show', id])).stdout).toContain('Looked at it');
  });

  it('a critical task added while its shell tool runs reaches the next request of the same turn, with its result', async () => {
    const w = await world();
    const { requests, news } = await criticalDuringToolTurn(w, (command) =>
      w.turn([{ tool: 'bash', args: { command, description: 'build' } }]),
    );
    expect(requests).toHaveLength(2);
    expect(requests[0]).not.toContain(news);
    expect(toolMessages(requests[1] ?? '').join('\n')).toContain(news);
  });

  it('a write to a protected path is refused before it runs, and the model reads why', async () => {
    const w = await world({ guards: { protectedPaths: ['secrets/**'] } });
    const { api, run } = await w.turn([{ tool: 'write', args: { filePath: 'secrets/key.txt', content: 'k\n' } }]);
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(w.dir, 'secrets', 'key.txt'))).toBe(false);
    const result = toolMessages(api.requests.at(-1) ?? '').join('\n');
    expect(result).toContain('is protected by the rule \\"secrets/**\\" in hooks.guards.protectedPaths');
  });
});

describe('OpenCode with the monitor stopped', () => {
  it('ends its turn without the task tools, and the node hooks still tell the pending task', async () => {
    const w = await world({}, false);
    const id = await w.add('Fix the checkout total');
    const { api, run } = await w.turn([]);
    // The store server's connection is refused: OpenCode goes on without its tools, no wait and no OAuth prompt.
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    const first = api.requests[0] ?? '{"tools":[]}';
    expect(first).toContain(inJson(`Next recommended task: ${id} "Fix the checkout total"`));
    expect(offeredTools(first)).not.toContain('taskhooks_list_tasks');
  });
});

describe('an idle OpenCode session', () => {
  it('is woken by a critical task added from another terminal', async () => {
    const w = await world();
    await w.add('Fix the checkout total');
    const api = await chatStub([], OPENCODE_CHAT);
    cleanups.push(() => api.close());
    const server = await serveOpencode(w.dir, opencodeEnv(w.env, w.home, api.url));
    cleanups.push(() => server.close());
    await server.prompt('hi');
    // The turn has ended and its idle watch has started: the next change is news to the session.
    await until('the first turn', () => api.requests.length === 1);
    await until('the idle watch', () => existsSync(path.join(w.taskhooksHome, 'watchers')));
    const id = await w.add('Checkout is down', '--priority', 'critical');
    await until('the wake', () => api.requests.length === 2);
    expect(api.requests[1]).toContain(inJson(`New critical task on branch main: ${id} (Checkout is down).`));
  });
});

describe('OpenCode and Claude Code in two worktrees of one project', () => {
  it('each hears which task the other holds, by its agent, and is told a different next task', async () => {
    const w = await world();
    const { first, second, other } = await twoWorktrees(w, 'coupons');
    // OpenCode starts the first task from its shell, then waits while Claude Code starts in the other worktree.
    const tool = heldToolCall(w.home, 'opencode-waits');
    const { api, run } = await w.turn([
      { tool: 'bash', args: { command: `node '${CLI}' tasks start ${first}`, description: 'start' } },
      { tool: 'bash', args: { command: tool.command, description: 'wait' } },
    ]);
    await tool.running();
    const sessions = JSON.parse((await w.cli(['sessions', '--json'])).stdout) as {
      sessions: Array<{ agent?: string; claims: string[] }>;
    };
    expect(sessions.sessions).toEqual([expect.objectContaining({ agent: 'opencode', claims: [first] })]);

    const claudeApi = await messagesStub([]);
    cleanups.push(() => claudeApi.close());
    const claude = await runClaude(other, claudeEnv(w.home, w.taskhooksHome, claudeApi.url));
    tool.release();
    expect(claude.code, claude.stderr).toBe(0);
    const told = claudeApi.requests.join('\n');
    expect(told).toContain(
      inJson(`${first} is in progress in an OpenCode session: worktree ${path.relative(other, w.dir)}`),
    );
    expect(told).toContain(inJson(`Next recommended task: ${second} "Add coupons"`));
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests[0]).toContain(inJson(`Next recommended task: ${first} "Fix the checkout total"`));
  });
});

async function until(what: string, ok: () => boolean, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
