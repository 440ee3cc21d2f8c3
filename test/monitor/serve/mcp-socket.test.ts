// The plugin's MCP server on the monitor's mcp.sock, with a stand-in hook runner: a turn's end is answered before its
// work is done, and a bridge's close ends its session once that work is done and its agent is gone.
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HookEvent } from '../../../src/monitor/serve/served-hooks.js';
import { startMcpSocket, type McpSocket } from '../../../src/monitor/serve/mcp-socket.js';
import { silentLogger } from '../../helpers/cache.js';
import { tempDir } from '../../foundation/helpers.js';
import { waitFor } from '../helpers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A process that has exited: the bridge's agent, gone. */
const goneAgent = (): number =>
  Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);

/** One bridge's connection: its first line, then MCP's JSON lines; `answer(id)` waits for that request's answer. */
async function bridge(
  file: string,
  first: object,
): Promise<{ send(o: object): void; answer(id: number): Promise<unknown>; end(): void }> {
  const socket = net.connect(file);
  await new Promise((resolve) => socket.once('connect', resolve));
  const answers = new Map<number, unknown>();
  let buffered = '';
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
      const message = JSON.parse(buffered.slice(0, nl)) as { id?: number; result?: unknown };
      if (typeof message.id === 'number') answers.set(message.id, message.result);
      buffered = buffered.slice(nl + 1);
    }
  });
  const send = (o: object): void => void socket.write(`${JSON.stringify(o)}\n`);
  send(first);
  return {
    send: (o) => send({ jsonrpc: '2.0', ...o }),
    answer: (id) => waitFor(`the answer to request ${id}`, () => answers.get(id)),
    end: () => socket.end(),
  };
}

describe("the monitor's mcp.sock", () => {
  it("answers a turn's end before its work is done, and ends the session after it once the agent is gone", async () => {
    const dir = tempDir('th-mcp-socket-');
    cleanups.push(dir.remove);
    const file = path.join(dir.dir, 'mcp.sock');
    const ran: HookEvent[] = [];
    let finishTurn: () => void = () => undefined;
    const handle = async (event: HookEvent): Promise<object | null> => {
      ran.push(event);
      if (event === 'turn-end') await new Promise<void>((resolve) => (finishTurn = resolve));
      return null;
    };
    const served: McpSocket = await startMcpSocket({ file, handle, log: silentLogger(), env: process.env });
    cleanups.push(() => served.close());

    const b = await bridge(file, { agentPid: goneAgent(), cwd: dir.dir, sessionId: 's-1' });
    b.send({
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    });
    await b.answer(1);
    b.send({ method: 'notifications/initialized' });
    const turn = { event: 'turn-end', session_id: 's-1', cwd: dir.dir, hook_event_name: 'Stop' };
    b.send({ id: 2, method: 'tools/call', params: { name: 'hook', arguments: turn } });
    // Answered while the turn's work still runs.
    expect(await b.answer(2)).toEqual({ content: [{ type: 'text', text: '{}' }] });
    expect(ran).toEqual(['turn-end']);

    // The bridge closes with its agent gone: the session ends, but only after the turn's work.
    b.end();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ran).toEqual(['turn-end']);
    finishTurn();
    await waitFor('the session ended', () => ran.includes('session-end'));
    expect(ran).toEqual(['turn-end', 'session-end']);
  });
});
