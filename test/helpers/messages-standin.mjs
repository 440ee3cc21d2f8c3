// A stand-in for the Messages API (streaming) on loopback, shared by the e2e tests (through claude.ts) and
// `npm run bench session`: plain JavaScript, so a bench run by bare node can import it.
import http from 'node:http';

/**
 * Turn k (k tool results in the conversation so far) asks for `steps[k]` (its input a function of the last tool
 * result's text where it depends on an earlier answer: an id the server made), and once they are all done the turn just
 * ends, after `thinkMs` as a model would, saying `finalText`. `requests` holds every request body unless
 * `keepRequests` is false (a session of many calls sends the whole conversation each time). `exchanges` holds, for each request, how many tool
 * results and tools it carried and when it arrived and its answer ended (`performance.now()`): the time between two
 * requests of the conversation is the client's own handling of a tool call (a side request, such as a title, offers
 * no tools).
 * @param {import('./messages-standin.d.mts').ToolStep[]} steps
 * @param {{ thinkMs?: number, keepRequests?: boolean, finalText?: string }} [options]
 */
/** The text of the last tool result in `messages`, '' before any. */
function lastResult(messages = []) {
  const results = messages
    .flatMap((m) => (Array.isArray(m.content) ? m.content : []))
    .filter((c) => c.type === 'tool_result');
  const content = results.at(-1)?.content ?? '';
  return typeof content === 'string' ? content : content.map((c) => c.text ?? '').join('');
}

export async function messagesStub(steps, { thinkMs = 0, keepRequests = true, finalText = 'done' } = {}) {
  let n = 0;
  /** @type {string[]} */
  const requests = [];
  /** @type {import('./messages-standin.d.mts').Exchange[]} */
  const exchanges = [];
  const server = http.createServer((req, res) => {
    const arrived = performance.now();
    let body = '';
    req.on('data', (d) => (body += d.toString('utf8')));
    req.on('end', async () => {
      n++;
      if (keepRequests) requests.push(body);
      const parsed = body ? JSON.parse(body) : {};
      const done = JSON.stringify(parsed.messages ?? []).split('"tool_result"').length - 1;
      const tools = (parsed.tools ?? []).length;
      res.on('finish', () => exchanges.push({ results: done, tools, arrived, answered: performance.now() }));
      const step = steps[done];
      const ask = step && (parsed.tools ?? []).some((t) => t.name === step.tool) ? step : undefined;
      if (!ask && done > 0) await new Promise((r) => setTimeout(r, thinkMs));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const ev = (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
      ev('message_start', {
        message: {
          id: `msg_${n}`,
          type: 'message',
          role: 'assistant',
          content: [],
          model: parsed.model ?? 'stub',
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 1, output_tokens: 1 },
        },
      });
      const block = ask
        ? { type: 'tool_use', id: `toolu_${n}`, name: ask.tool, input: {} }
        : { type: 'text', text: '' };
      const input = typeof ask?.input === 'function' ? ask.input(lastResult(parsed.messages)) : ask?.input;
      const delta = ask
        ? { type: 'input_json_delta', partial_json: JSON.stringify(input) }
        : { type: 'text_delta', text: finalText };
      ev('content_block_start', { index: 0, content_block: block });
      ev('content_block_delta', { index: 0, delta });
      ev('content_block_stop', { index: 0 });
      ev('message_delta', {
        delta: { stop_reason: ask ? 'tool_use' : 'end_turn', stop_sequence: null },
        usage: { output_tokens: 1 },
      });
      ev('message_stop', {});
      res.end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    exchanges,
    count: () => n,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r(undefined));
      }),
  };
}
