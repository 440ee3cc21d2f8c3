// The types of messages-standin.mjs, for the TypeScript tests that use it.
/** One tool call the stand-in model asks for. */
export interface ToolStep {
  tool: string;
  input: Record<string, unknown>;
}

export interface MessagesStub {
  url: string;
  /** Every request body, in order (none when `keepRequests` is false). */
  requests: string[];
  /** How many requests it answered. */
  count(): number;
  close(): Promise<void>;
}

export function messagesStub(
  steps: ToolStep[],
  options?: { thinkMs?: number; keepRequests?: boolean },
): Promise<MessagesStub>;
