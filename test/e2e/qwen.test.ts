// The real Qwen Code with what `taskhooks install --agent qwen` writes (the project's .qwen/settings.json: its hooks;
// the user's ~/.qwen/settings.json: the monitor's store server for the task tools), the model stood in on loopback: the
// pending task reaches its first request, the task tools are offered, a critical task added during a tool call reaches
// the next request of the same turn (with the tool's result, not as a new prompt), and an edit of a protected path is
// denied before it runs. The monitor runs, answering the hooks over its socket; with it stopped the node hooks still
// tell the task and refuse the edit.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  agentWorld,
  criticalDuringToolTurn,
  pendingBeforeRefusal,
  pendingTaskTurn,
  PROTECTED_SECRETS,
  refusedCall,
  servedFrom,
} from '../helpers/agent-world.js';
import { chatStub, offeredTools, toolMessages, type ChatStep } from '../helpers/chat-completions.js';
import { qwenHome, runQwen } from '../helpers/qwen.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The project `shop` with taskhooks installed for Qwen Code, and a turn there against a stand-in. */
async function world(hooks: Record<string, unknown> = {}, monitor = true) {
  const w = await agentWorld('qwen', cleanups, { hooks, monitor });
  qwenHome(w.home);
  const turn = async (steps: ChatStep[]) => {
    const api = await chatStub(steps);
    cleanups.push(() => api.close());
    return { api, run: runQwen(w.dir, w.env, api.url) };
  };
  return { ...w, turn };
}

describe('Qwen Code hears the tasks', () => {
  it('the pending task reaches the first request, and the task tools are offered', async () => {
    const w = await world();
    const { first, next } = await pendingTaskTurn(w, () => w.turn([]));
    expect(first).toContain(next);
    // Qwen Code defers MCP tools: the request names them, and its tool_call tool calls one.
    expect(first).toContain('mcp__taskhooks__add_task');
    // From the monitor's store server, named in the user's own settings: the project's holds none.
    expect(servedFrom(w, '.qwen/settings.json')).toBe(true);
    expect(readFileSync(path.join(w.dir, '.qwen', 'settings.json'), 'utf8')).not.toContain('mcpServers');
    expect(offeredTools(first)).toContain('tool_call');
  });

  it('a critical task added while a tool call runs reaches the next request of the same turn, with its result', async () => {
    const w = await world();
    const { requests, news } = await criticalDuringToolTurn(w, (command) =>
      w.turn([{ tool: 'run_shell_command', args: { command } }]),
    );
    expect(requests).toHaveLength(2);
    expect(requests[0]).not.toContain(news);
    expect(toolMessages(requests[1] ?? '').join('\n')).toContain(news);
  });

  it('an edit of a protected path is denied before it runs, and the model reads why', async () => {
    const w = await world({ guards: { protectedPaths: ['secrets/**'] } });
    await protectedWriteRefused(w);
  });
});

/** A turn that writes a protected path: refused before it runs, the reason in its result; the first request. */
async function protectedWriteRefused(w: Awaited<ReturnType<typeof world>>): Promise<string> {
  const file = path.join(w.dir, 'secrets', 'key.txt');
  const turn = await w.turn([{ tool: 'write_file', args: { file_path: file, content: 'x\n' } }]);
  return refusedCall(turn, file, (last) => toolMessages(last).join('\n'), PROTECTED_SECRETS);
}

describe('Qwen Code with the monitor stopped', () => {
  it('still hears the pending task first, and a guarded call is refused: the node hooks answer', async () => {
    const w = await world({ guards: { protectedPaths: ['secrets/**'] } }, false);
    await pendingBeforeRefusal(w, () => protectedWriteRefused(w));
  });
});
