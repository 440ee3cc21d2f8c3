// The real GitHub Copilot CLI with what `taskhooks install --agent copilot` writes (the repository's
// .github/hooks/taskhooks.json, and the monitor's store server for the task tools in ~/.copilot/mcp-config.json), the
// model stood in on loopback: the pending task reaches its first request, the task tools are offered, a critical task
// added during a shell call reaches the next request of the same turn with the call's result, and a patch of a
// protected path is denied before it runs. The monitor runs, answering the hooks over its socket; with it stopped the
// node hooks still tell the task and refuse the patch.
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
import { runCopilot } from '../helpers/copilot.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The project `shop` with taskhooks installed for Copilot CLI, and a turn there against a stand-in. */
async function world(hooks: Record<string, unknown> = {}, monitor = true) {
  const w = await agentWorld('copilot', cleanups, { hooks, monitor });
  const turn = async (steps: ChatStep[]) => {
    const api = await chatStub(steps);
    cleanups.push(() => api.close());
    return { api, run: runCopilot(w.dir, w.env, api.url) };
  };
  return { ...w, turn };
}

describe('Copilot CLI hears the tasks', () => {
  it('the pending task reaches the first request, and the task tools are offered', async () => {
    const w = await world();
    const { first, next } = await pendingTaskTurn(w, () => w.turn([]));
    expect(first).toContain(next);
    expect(offeredTools(first)).toContain('taskhooks-add_task');
    expect(servedFrom(w, '.copilot/mcp-config.json')).toBe(true);
  });

  it('a critical task added while its shell runs reaches the next request of the same turn, with its result', async () => {
    const w = await world();
    const { requests, news } = await criticalDuringToolTurn(w, (command) =>
      w.turn([{ tool: 'bash', args: { command, description: 'build' } }]),
    );
    expect(requests).toHaveLength(2);
    expect(requests[0]).not.toContain(news);
    expect(toolMessages(requests[1] ?? '').join('\n')).toContain(news);
  });

  it('a patch of a protected path is denied before it runs, and the model reads why', async () => {
    const w = await world({ guards: { protectedPaths: ['secrets/**'] } });
    await protectedPatchRefused(w);
  });
});

/** A turn that patches a protected path: refused before it runs, the reason in its result; the first request. */
async function protectedPatchRefused(w: Awaited<ReturnType<typeof world>>): Promise<string> {
  const patch = '*** Begin Patch\n*** Add File: secrets/key.txt\n+x\n*** End Patch\n';
  const turn = await w.turn([{ tool: 'apply_patch', input: patch }]);
  const file = path.join(w.dir, 'secrets', 'key.txt');
  return refusedCall(turn, file, (last) => toolMessages(last).join('\n'), PROTECTED_SECRETS);
}

describe('Copilot CLI with the monitor stopped', () => {
  it('still hears the pending task first, and a guarded call is refused: the node hooks answer', async () => {
    const w = await world({ guards: { protectedPaths: ['secrets/**'] } }, false);
    await pendingBeforeRefusal(w, () => protectedPatchRefused(w));
  });
});
