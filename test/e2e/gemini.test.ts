// The real Gemini CLI with what `taskhooks install --agent gemini` writes (the project's .gemini/settings.json, read in
// a trusted folder: its hooks; the user's ~/.gemini/settings.json: the monitor's store server), the model stood in on
// loopback: the pending task and the task tools reach its first request, a critical task added during a tool call
// reaches the next request of the same turn, the reminder of the task in progress arrives with the edit's result
// (Gemini CLI's model never reads context given before a tool), and a push to a protected branch is denied before it
// runs, with the reason in the tool's result. The monitor runs, answering the hooks over its socket; with it stopped
// the node hooks still tell the task and refuse the push.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  agentWorld,
  criticalDuringToolTurn,
  inJson,
  pendingBeforeRefusal,
  pendingTaskTurn,
  refusedCall,
  servedFrom,
} from '../helpers/agent-world.js';
import { generateStub, geminiHome, runGemini, type GeminiStep } from '../helpers/gemini.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The project `shop` with taskhooks installed for Gemini CLI, trusted, and a turn there against a stand-in. */
async function world(hooks: Record<string, unknown> = {}, monitor = true) {
  const w = await agentWorld('gemini', cleanups, { hooks, monitor });
  geminiHome(w.home, [w.dir]);
  const turn = async (steps: GeminiStep[]) => {
    const api = await generateStub(steps);
    cleanups.push(() => api.close());
    return { api, run: runGemini(w.dir, w.env, api.url) };
  };
  return { ...w, turn };
}

/** The function responses of a request, as the model reads them. */
function toolResults(body: string): string[] {
  const { contents } = JSON.parse(body) as { contents: Array<{ parts: Array<{ functionResponse?: unknown }> }> };
  return contents.flatMap((c) =>
    c.parts.filter((p) => p.functionResponse).map((p) => JSON.stringify(p.functionResponse)),
  );
}

describe('Gemini CLI hears the tasks', () => {
  it('the pending task reaches the first request, from SessionStart, and the task tools are offered', async () => {
    const w = await world();
    const { first, next } = await pendingTaskTurn(w, () => w.turn([]));
    expect(first).toContain(next);
    // The task tools, from the monitor's store server that install named in the user's own settings, not the project's.
    expect(first).toContain('"name":"mcp_taskhooks_add_task"');
    expect(servedFrom(w, '.gemini/settings.json')).toBe(true);
    expect(readFileSync(path.join(w.dir, '.gemini', 'settings.json'), 'utf8')).not.toContain('mcpServers');
  });

  it('a critical task added while a tool call runs reaches the next request of the same turn, with its result', async () => {
    const w = await world();
    const { requests, news } = await criticalDuringToolTurn(w, (command) =>
      w.turn([{ tool: 'run_shell_command', args: { command } }]),
    );
    expect(requests).toHaveLength(2);
    expect(requests[0]).not.toContain(news);
    expect(toolResults(requests[1] ?? '').join('\n')).toContain(news);
  });

  it('the reminder of the task in progress arrives with the edit’s result, before the next step', async () => {
    const w = await world();
    const id = await w.add('Fix the checkout total');
    await w.cli(['tasks', 'start', id]);
    const { api, run } = await w.turn([{ tool: 'write_file', args: { file_path: 'notes.txt', content: 'hello\n' } }]);
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(w.dir, 'notes.txt'))).toBe(true);
    const results = toolResults(api.requests.at(-1) ?? '');
    expect(results).toHaveLength(1);
    expect(results[0]).toContain(inJson(`Task in progress on branch main: ${id}`));
  });

  it('a push to a protected branch is denied before it runs, and the model reads why', async () => {
    const w = await world({ guards: { protectedBranches: ['main'] } });
    await protectedPushRefused(w);
  });
});

/** A turn that pushes to the protected main: refused before it runs, the reason in its result; the first request. */
async function protectedPushRefused(w: Awaited<ReturnType<typeof world>>): Promise<string> {
  const marker = path.join(w.home, 'pushed');
  const turn = await w.turn([
    { tool: 'run_shell_command', args: { command: `git push origin main; touch '${marker}'` } },
  ]);
  const result = (last: string) => toolResults(last).join('\n');
  const first = await refusedCall(turn, marker, result, 'Tool execution blocked');
  expect(result(turn.api.requests.at(-1) ?? '')).toContain('main');
  return first;
}

describe('Gemini CLI with the monitor stopped', () => {
  it('still hears the pending task first, and a guarded call is refused: the node hooks answer', async () => {
    const w = await world({ guards: { protectedBranches: ['main'] } }, false);
    await pendingBeforeRefusal(w, () => protectedPushRefused(w));
  });
});
