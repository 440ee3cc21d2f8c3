// A loopback stand-in of the OpenAI Chat Completions API, for the agents that speak it offline (Qwen Code, GitHub
// Copilot CLI, OpenCode). `POST …/chat/completions` is answered as the API documents it: with `stream: true`, server-sent events
// of `chat.completion.chunk` objects (the first delta with the role, the content or `tool_calls` with JSON
// `arguments` (or a custom tool's `input`), a last chunk with `finish_reason` and `usage`, then `data: [DONE]`); without, one `chat.completion`.
// Request k (k `tool` messages in its history so far) asks for `steps[k]`; once they are done, the turn ends.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One tool call the stand-in model asks for, in the agent's own tool names: a function, or a custom tool's text. */
export type ChatStep = { tool: string; args: Record<string, unknown> } | { tool: string; input: string };

/** How an agent's conversation is read: where a turn starts, and which requests are its own. */
export interface ChatStubOptions {
  /**
   * Each user message starts a turn whose steps run anew (OpenCode, where a prompt put into an idle session is a new
   * turn); else the steps run once over the whole conversation (an agent that adds its hooks' context as user
   * messages between tool results).
   */
  turnPerUserMessage?: boolean;
  /** Only requests that offer tools are recorded, and a request without (OpenCode's title) is answered with text. */
  toolRequestsOnly?: boolean;
}

export interface ChatStub {
  /** The base URL, ending in /v1. */
  url: string;
  /** Every chat completion request body, as sent (only those offering tools, with `toolRequestsOnly`). */
  requests: string[];
  /** Every other request, as `METHOD path`: what the agent asked that is not stood in. */
  others: string[];
  close(): Promise<void>;
}

interface ChatRequest {
  model?: string;
  stream?: boolean;
  messages?: Array<{ role?: string }>;
  tools?: unknown[];
}

/** How many tool results the conversation holds: all of them, or those since its last user message. */
function toolResults(messages: Array<{ role?: string }>, turnPerUserMessage: boolean): number {
  const since = turnPerUserMessage ? messages.map((m) => m.role).lastIndexOf('user') + 1 : 0;
  return messages.slice(since).filter((m) => m.role === 'tool').length;
}

function message(step: ChatStep | undefined, n: number): Record<string, unknown> {
  if (!step) return { role: 'assistant', content: 'done' };
  const call =
    'input' in step
      ? { id: `call_${n}`, type: 'custom', custom: { name: step.tool, input: step.input } }
      : { id: `call_${n}`, type: 'function', function: { name: step.tool, arguments: JSON.stringify(step.args) } };
  return { role: 'assistant', content: null, tool_calls: [call] };
}

const USAGE = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };

function answer(res: http.ServerResponse, body: ChatRequest, step: ChatStep | undefined, n: number): void {
  const base = { id: `chatcmpl-${n}`, created: Math.floor(Date.now() / 1000), model: body.model ?? 'standin' };
  const msg = message(step, n);
  const finish = step ? 'tool_calls' : 'stop';
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        ...base,
        object: 'chat.completion',
        choices: [{ index: 0, message: msg, finish_reason: finish }],
        usage: USAGE,
      }),
    );
    return;
  }
  const chunk = (delta: Record<string, unknown>, finishReason: string | null, extra = {}) =>
    `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })}\n\n`;
  const { tool_calls: calls, content } = msg as { tool_calls?: Array<Record<string, unknown>>; content: unknown };
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(chunk({ role: 'assistant', content: '' }, null));
  res.write(chunk(calls ? { tool_calls: calls.map((c, index) => ({ index, ...c })) } : { content }, null));
  res.write(chunk({}, finish, { usage: USAGE }));
  res.end('data: [DONE]\n\n');
}

export async function chatStub(steps: ChatStep[], options: ChatStubOptions = {}): Promise<ChatStub> {
  const requests: string[] = [];
  const others: string[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.split('?')[0]?.endsWith('/chat/completions')) {
        others.push(`${req.method} ${req.url}`);
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not stood in"}}');
        return;
      }
      n++;
      const body = JSON.parse(text) as ChatRequest;
      const offered = (body.tools ?? []).length > 0;
      if (!options.toolRequestsOnly || offered) requests.push(text);
      const done = toolResults(body.messages ?? [], options.turnPerUserMessage === true);
      answer(res, body, options.toolRequestsOnly && !offered ? undefined : steps[done], n);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    others,
    close: () =>
      new Promise((r) => {
        // An agent kept running (`opencode serve`) holds its connection open.
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** The `tool` messages of a request, as the model reads them. */
export function toolMessages(body: string): string[] {
  const { messages } = JSON.parse(body) as { messages: Array<{ role: string; content: unknown }> };
  return messages.filter((m) => m.role === 'tool').map((m) => JSON.stringify(m.content));
}

/** The names of the tools a request offers the model. */
export function offeredTools(body: string): string[] {
  const { tools } = JSON.parse(body) as { tools?: Array<{ function?: { name?: string }; custom?: { name?: string } }> };
  return (tools ?? []).map((t) => t.function?.name ?? t.custom?.name ?? '');
}
