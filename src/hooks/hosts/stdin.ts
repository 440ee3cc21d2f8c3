import { agentArgument, eventArgument, type AgentHooks } from '../../agents/agent.js';
import { AGENT_HOOKS, fromAgentInput } from '../../agents/hooks.js';
import { MAX_HOOK_INPUT_BYTES, readStdinOnce } from './stdin-read.js';

/** What arrived on stdin: the text, and its JSON value unless it was empty or not JSON (then `error` says why). */
export interface HookStdin {
  bytes: number;
  value: unknown;
  error?: string;
  /** The agent that ran the hook, when it is not Claude Code (`--agent=<id>`): `value` is already in Claude Code's shape. */
  agent?: AgentHooks;
  /** That agent's own name of the event, which its answer names. */
  agentEvent?: string;
}

/**
 * Another agent's input in Claude Code's shape, so the entry's first checks and the events read one shape; the
 * agent's own event name is kept for its answer.
 */
function translated(stdin: HookStdin, argv: readonly string[]): HookStdin {
  const id = agentArgument(argv);
  if (!id || id === 'claude') return stdin;
  const agent = AGENT_HOOKS[id];
  return { ...stdin, ...fromAgentInput(agent, stdin.value, eventArgument(argv)), agent };
}

/** Reads and parses the hook input; never throws (a closed or unreadable stdin is reported as an error). */
export function readHookStdin(argv: readonly string[] = process.argv): HookStdin {
  return translated(readRawStdin(), argv);
}

/** The hook input from text already read, as `readHookStdin` makes it of stdin: for a host that runs in a process of its own. */
export function hookStdinOf(text: string, argv: readonly string[] = []): HookStdin {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_HOOK_INPUT_BYTES) return translated({ bytes, value: undefined, error: overMax() }, argv);
  return translated(parsed(text), argv);
}

const overMax = (): string => `stdin is over ${MAX_HOOK_INPUT_BYTES / 1048576} MiB`;

function readRawStdin(): HookStdin {
  const raw = readStdinOnce();
  if (raw.error !== undefined) return { bytes: raw.bytes, value: undefined, error: raw.error };
  if (raw.text === undefined) return { bytes: raw.bytes, value: undefined, error: overMax() };
  return parsed(raw.text);
}

function parsed(text: string): HookStdin {
  if (text.trim() === '') return { bytes: text.length, value: undefined, error: 'stdin is empty' };
  try {
    return { bytes: text.length, value: JSON.parse(text) };
  } catch (err) {
    return { bytes: text.length, value: undefined, error: `stdin is not JSON: ${(err as Error).message}` };
  }
}
