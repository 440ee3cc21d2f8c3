// `taskhooks mcp` sent lines it refuses unread, written as each client writes its messages (Codex's Rust client and
// the Python SDK put the id first, the TypeScript SDK last): each is answered for its id, and the stream goes on.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { HOOK_TOOL } from '../../src/hooks/hosts/mcp-tool-input.js';
import { demoProject, hookEnv, ROOT } from '../helpers/hooks.js';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** `taskhooks mcp` over raw lines: `send` writes one, `answer(id)` waits for the message answering that id. */
function rawServer(home: string, cwd: string) {
  const child = spawn(process.execPath, [CLI, 'mcp', '--hooks-only'], { cwd, env: hookEnv(home), stdio: 'pipe' });
  cleanups.push(() => {
    child.kill();
    return new Promise((r) => child.once('exit', r));
  });
  const answers = new Map<unknown, Record<string, unknown>>();
  const waiting = new Map<unknown, () => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as Record<string, unknown>;
    answers.set(message.id, message);
    waiting.get(message.id)?.();
  });
  return {
    send: (line: string) => new Promise<void>((r) => child.stdin.write(`${line}\n`, () => r())),
    answer: async (id: unknown): Promise<Record<string, unknown>> => {
      if (!answers.has(id)) await new Promise<void>((r) => waiting.set(id, r));
      return answers.get(id) ?? {};
    },
  };
}

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

describe('lines taskhooks mcp refuses unread', () => {
  it('are answered for their id, first or last in the line, over 8 MiB or too deep, and the stream serves on', async () => {
    const p = demoProject();
    cleanups.push(p.cleanup);
    const s = rawServer(p.home, p.repo.dir);
    await s.send(JSON.stringify(INITIALIZE));
    expect(await s.answer(0)).toMatchObject({ result: { serverInfo: { name: expect.any(String) } } });
    await s.send('{"jsonrpc":"2.0","method":"notifications/initialized"}');

    const params = JSON.stringify({ name: HOOK_TOOL, arguments: { content: 'x'.repeat(9 * 1024 * 1024) } });
    await s.send(`{"jsonrpc":"2.0","id":"codex-1","method":"tools/call","params":${params}}`);
    await s.send(`{"method":"tools/call","params":${params},"jsonrpc":"2.0","id":2}`);
    await s.send(`{"jsonrpc":"2.0","id":3,"method":"tools/list","params":{"x":${'['.repeat(100)}${']'.repeat(100)}}}`);
    await s.send('{"jsonrpc":"2.0","id":4,"method":"tools/list"}');

    for (const id of ['codex-1', 2]) {
      const answer = await s.answer(id);
      const [content] = (answer.result as { content: Array<{ text: string }> }).content;
      expect(JSON.parse(content?.text ?? '')).toEqual({
        hookSpecificOutput: {
          hookEventName: 'PreToolUse',
          permissionDecision: 'deny',
          permissionDecisionReason: expect.stringContaining('over 8 MiB'),
        },
      });
    }
    expect(await s.answer(3)).toEqual({
      jsonrpc: '2.0',
      id: 3,
      error: { code: -32600, message: expect.stringContaining('nests deeper than 64 levels') },
    });
    expect(await s.answer(4)).toMatchObject({ id: 4, result: { tools: [{ name: HOOK_TOOL }] } });
  });
});
