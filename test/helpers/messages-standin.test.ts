// The Messages API stand-in the e2e tests and `npm run bench session` drive Claude Code with: it asks for each step in
// turn and records when each request came and its answer ended, which the session bench reads a tool call's cost from.
import { afterEach, describe, expect, it } from 'vitest';
import { type MessagesStub, messagesStub } from './messages-standin.mjs';

const stubs: MessagesStub[] = [];
afterEach(async () => {
  for (const s of stubs.splice(0)) await s.close();
});

/** A request carrying `results` tool results, as Claude Code sends one; the stream's text. */
async function ask(stub: MessagesStub, results: number): Promise<string> {
  const messages = [
    { role: 'user', content: 'hi' },
    ...Array.from({ length: results }, (_, i) => [
      { role: 'assistant', content: [{ type: 'tool_use', id: `toolu_${i}`, name: 'Bash', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_${i}`, content: '' }] },
    ]).flat(),
  ];
  const res = await fetch(`${stub.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages, tools: [{ name: 'Bash' }] }),
  });
  return res.text();
}

describe('messagesStub', () => {
  it('asks for the next step after each tool result and records every exchange in order', async () => {
    const stub = await messagesStub([{ tool: 'Bash', input: { command: 'true' } }], { keepRequests: false });
    stubs.push(stub);
    expect(await ask(stub, 0)).toContain('"stop_reason":"tool_use"');
    expect(await ask(stub, 1)).toContain('"stop_reason":"end_turn"');
    expect(stub.requests).toEqual([]);
    expect(stub.exchanges.map((e) => [e.results, e.tools])).toEqual([
      [0, 1],
      [1, 1],
    ]);
    const [first, second] = stub.exchanges;
    expect(first?.answered).toBeGreaterThanOrEqual(first?.arrived ?? Number.NaN);
    expect(second?.arrived).toBeGreaterThanOrEqual(first?.answered ?? Number.NaN);
  });
});
