// The types of messages-standin.mjs, for the TypeScript tests that use it.
/** One tool call the stand-in model asks for. */
export interface ToolStep {
  tool: string;
  /** The call's input, or how to make it from the text of the last tool result (an id an earlier call made). */
  input: Record<string, unknown> | ((lastResult: string) => Record<string, unknown>);
}

/** One request: the tool results and tools it carried, when it arrived and its answer ended (`performance.now()`). */
export interface Exchange {
  results: number;
  tools: number;
  arrived: number;
  answered: number;
}

export interface MessagesStub {
  url: string;
  /** Every request body, in order (none when `keepRequests` is false). */
  requests: string[];
  /** Every request answered, in the order the answers ended. */
  exchanges: Exchange[];
  /** How many requests it answered. */
  count(): number;
  close(): Promise<void>;
}

export function messagesStub(
  steps: ToolStep[],
  /** `finalText`: what the model's last answer of a turn says ('done' unless given). */
  options?: { thinkMs?: number; keepRequests?: boolean; finalText?: string },
): Promise<MessagesStub>;
