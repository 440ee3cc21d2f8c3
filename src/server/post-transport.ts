// Stateless POST /mcp without the SDK's per-request HTTP transport. That transport converts every Node request into a
// web Request and its answer back (through @hono/node-server) and is connected to a server for one request only; on
// a list call that costs more CPU than the tool itself. Here each pooled McpServer stays connected to one
// PostTransport, which hands it a request's messages and collects their responses, and the HTTP checks the SDK's
// transport makes in stateless JSON mode are made in the same order with the same answers (postProblem).
import type { IncomingMessage } from 'node:http';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { MAX_BATCH_SIZE } from '@modelcontextprotocol/sdk/server/requestBody.js';
import {
  JSONRPCMessageSchema,
  isInitializeRequest,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type MessageExtraInfo,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import { mediaProblem, SERVED_PROTOCOL_VERSIONS, type PostProblem } from './modern.js';

/** The POST's messages, or why it is refused; the SDK transport's checks (stateless, JSON responses), in its order. */
export function postProblem(
  req: IncomingMessage,
  body: unknown,
): { messages: JSONRPCMessage[] } | { problem: PostProblem } {
  const media = mediaProblem(req);
  if (media) return { problem: media };
  if (Array.isArray(body) && body.length > MAX_BATCH_SIZE)
    return problem(400, -32600, `Invalid Request: Batch must not exceed ${MAX_BATCH_SIZE} messages`);
  const parsed = (Array.isArray(body) ? body : [body]).map((m) => JSONRPCMessageSchema.safeParse(m));
  if (parsed.some((p) => !p.success)) return problem(400, -32700, 'Parse error: Invalid JSON-RPC message');
  const messages = parsed.map((p) => p.data as JSONRPCMessage);
  // isInitializeRequest parses with zod: asked only of a message that says it is one.
  if (messages.some((m) => 'method' in m && m.method === 'initialize' && isInitializeRequest(m))) {
    if (messages.length > 1) return problem(400, -32600, 'Invalid Request: Only one initialization request is allowed');
    return { messages };
  }
  const version = req.headers['mcp-protocol-version'];
  if (typeof version === 'string' && !SERVED_PROTOCOL_VERSIONS.includes(version))
    return problem(
      400,
      -32000,
      `Bad Request: Unsupported protocol version: ${version} (supported versions: ${SERVED_PROTOCOL_VERSIONS.join(', ')})`,
    );
  return { messages };
}

const problem = (status: number, code: number, message: string): { problem: PostProblem } => ({
  problem: { status, code, message },
});

/**
 * A pooled server's connection. One request at a time (the pool hands a server to one request until it is answered),
 * so the ids of its messages cannot meet another request's. What the server sends that answers no request (a
 * notification, a request of its own) has nowhere to go on a stateless POST and is dropped, as the SDK's transport
 * drops it without a standalone stream.
 */
export class PostTransport implements Transport {
  onmessage?: Transport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private readonly waiting = new Map<RequestId, (response: JSONRPCMessage) => void>();

  async start(): Promise<void> {}

  async close(): Promise<void> {
    this.onclose?.();
  }

  // What the server sends is the SDK's own making: a response is told apart by its shape, without the SDK's zod
  // guards, which would parse a whole list answer again.
  async send(message: JSONRPCMessage): Promise<void> {
    if ('method' in message || !('id' in message) || message.id === undefined) return;
    const answer = this.waiting.get(message.id);
    this.waiting.delete(message.id);
    answer?.(message);
  }

  /** Hands the server every message and answers the requests' responses, in the requests' order. */
  exchange(messages: readonly JSONRPCMessage[], extra: MessageExtraInfo): Promise<JSONRPCMessage[]> {
    // The messages passed JSONRPCMessageSchema: one with a method and an id is a request.
    const requests = messages.filter((m): m is JSONRPCRequest => 'method' in m && 'id' in m);
    const responses = Promise.all(
      requests.map((r) => new Promise<JSONRPCMessage>((done) => this.waiting.set(r.id, done))),
    );
    for (const message of messages) this.onmessage?.(message, extra);
    return responses;
  }
}
