// A real monitor sent JSON nested millions deep: refused before it is parsed, while the hooks posted beside it are
// answered as usual, over HTTP and on the plugin's MCP socket (there for its id, as a line over 8 MiB is).
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { homeFiles } from '../../src/home/files.js';
import { preToolUseInput } from '../helpers/hooks.js';
import { makeRepoFor } from './fixtures.js';
import { perTest, waitFor } from './helpers.js';

const t = perTest();
/** Six million brackets, under the input cap: JSON.parse took seconds and hundreds of MB on such a body. */
const DEEP = `${'['.repeat(3_000_000)}${']'.repeat(3_000_000)}`;

/** A monitor following a repository whose guard refuses edits under secrets/, and what its hooks are posted with. */
function startMonitor() {
  const repo = makeRepoFor('deep');
  t.undo(repo.cleanup);
  const m = t.home({ hooks: { guards: { protectedPaths: ['secrets/**'] } } });
  expect(m.cli(['monitor', 'start']).code).toBe(0);
  const info = m.info();
  if (!info) throw new Error('no monitor.json after monitor start');
  const token = readFileSync(path.join(m.home, 'hook-token'), 'utf8').trim();
  const post = async (body: string) => {
    const res = await fetch(`http://127.0.0.1:${info.hookPort}/hooks/pre-tool-use`, {
      method: 'POST',
      body,
      headers: { 'x-taskhooks-token': token, 'content-type': 'application/json' },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const edit = JSON.stringify(preToolUseInput(repo.dir, 'Edit', { file_path: path.join(repo.dir, 'secrets/key') }));
  return { m, post, edit };
}

describe('a body nested millions deep', () => {
  it('is refused as a denied PreToolUse, and a PreToolUse posted beside it is answered by its guard', async () => {
    const { m, post, edit } = startMonitor();
    const deep = post(DEEP);
    const beside = post(edit);
    const [refused, answered] = await Promise.all([deep, beside]);
    expect(refused).toEqual({
      status: 200,
      body: {
        hookSpecificOutput: {
          hookEventName: 'PreToolUse',
          permissionDecision: 'deny',
          permissionDecisionReason: expect.stringContaining('nests deeper than 64 levels'),
        },
      },
    });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({
      hookSpecificOutput: {
        permissionDecision: 'deny',
        permissionDecisionReason: expect.stringContaining('secrets/**'),
      },
    });
    // The monitor's log is written in batches, so the line may land just after the answer.
    const logFile = path.join(homeFiles(m.home).logs, 'monitor.log');
    const refusal = 'served hook input refused: nested past the bound it reads';
    await waitFor('the refusal in the monitor log', () => readFileSync(logFile, 'utf8').includes(refusal));
    expect(readFileSync(logFile, 'utf8')).toContain(refusal);
    // The monitor is still there and answers the next one.
    expect((await post(edit)).status).toBe(200);
  });

  it('on the MCP socket is answered for its id, as is a line over 8 MiB with its id first, and the stream serves on', async () => {
    const { m } = startMonitor();
    const socket = net.createConnection(homeFiles(m.home).mcpSocket);
    const lines: string[] = [];
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      lines.push(...parts);
    });
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } },
    };
    socket.write(`${JSON.stringify({ agentPid: process.pid })}\n`);
    socket.write(`{"jsonrpc":"2.0","id":0,"method":"tools/call","params":${DEEP}}\n`);
    socket.write(`{"jsonrpc":"2.0","id":"big","method":"ping","params":{"x":"${'x'.repeat(9 * 1024 * 1024)}"}}\n`);
    socket.write(`${JSON.stringify(initialize)}\n`);
    const deadline = Date.now() + 30_000;
    while (lines.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    const [deep, big, next] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(deep?.id).toBe(0);
    const [content] = (deep?.result as { content?: Array<{ text: string }> } | undefined)?.content ?? [];
    expect(JSON.parse(content?.text ?? '')).toMatchObject({
      hookSpecificOutput: {
        permissionDecision: 'deny',
        permissionDecisionReason: expect.stringContaining('nests deeper than 64 levels'),
      },
    });
    expect(big).toEqual({
      jsonrpc: '2.0',
      id: 'big',
      error: { code: -32600, message: expect.stringContaining('over 8 MiB') },
    });
    expect(next).toMatchObject({
      jsonrpc: '2.0',
      id: 1,
      result: { serverInfo: { name: expect.stringMatching(/^taskhooks/) } },
    });
  });
});
