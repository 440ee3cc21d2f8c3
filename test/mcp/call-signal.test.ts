// A long-lived process (the monitor) makes hundreds of calls under one deadline. The SDK never removes the abort
// listener it adds per request, so a call must not hand it the deadline's own signal: the answer would stay reachable
// from that signal until the deadline ends. The call still ends when the deadline does.
import { getEventListeners } from 'node:events';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type McpConnection } from '../../src/mcp/client.js';
import { deadlineIn } from '../../src/util/deadline.js';

let connection: McpConnection | undefined;
afterEach(async () => {
  await connection?.close();
  connection = undefined;
});

/** An in-memory server with `page` (a big answer) and `hang` (never answers until its call is cancelled). */
async function open(deadlineSignal?: AbortSignal): Promise<McpConnection> {
  const deadline = deadlineIn(60_000, deadlineSignal);
  connection = await connect(
    {
      kind: 'memory',
      label: 'signals',
      attach: async (serverSide) => {
        const server = new McpServer({ name: 'signals', version: '1.0.0' });
        server.registerTool('page', {}, async () => ({ content: [{ type: 'text', text: 'x'.repeat(50_000) }] }));
        server.registerTool('hang', {}, () => new Promise(() => undefined));
        await server.connect(serverSide);
      },
    },
    deadline,
  );
  return connection;
}

describe('a call under a shared deadline', () => {
  it('leaves no listener on the deadline once it is done, however many calls ran', async () => {
    const c = await open();
    const deadline = deadlineIn(60_000);
    for (let i = 0; i < 5; i++)
      expect((await c.callToolAnswer('page', {}, deadline)).texts.join('')).toHaveLength(50_000);
    expect(getEventListeners(deadline.signal, 'abort')).toHaveLength(0);
  });

  it('still ends when the deadline is cancelled, and says the deadline ended it', async () => {
    const c = await open();
    const cancel = new AbortController();
    const deadline = deadlineIn(60_000, cancel.signal);
    const call = c.callToolAnswer('hang', {}, deadline);
    setTimeout(() => cancel.abort(new Error('stopping')), 50);
    await expect(call).rejects.toThrow('Task source call cancelled at signals');
    expect(getEventListeners(deadline.signal, 'abort')).toHaveLength(0);
  });
});
