import { closeSync, openSync, readSync } from 'node:fs';
import { agentArgument, eventArgument, type AgentHooks } from '../../agents/agent.js';
import { AGENT_HOOKS, fromAgentInput } from '../../agents/hooks.js';

/**
 * The largest hook input read, by the monitor and the node hook alike (hooks/socket-post.pl sends no more): well above
 * what a model writes in one call, and small enough that parsing one holds the monitor's thread at most ~50 ms
 * (JSON.parse, measured at 6 ms per MiB). PreToolUse refuses a larger one.
 */
export const MAX_HOOK_INPUT_BYTES = 8 * 1024 * 1024;

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

/** Reads `fd` to its end into `chunks`; false as soon as more than MAX_HOOK_INPUT_BYTES came (the rest left unread). */
function readInto(fd: number, chunks: Buffer[], size: { bytes: number }): boolean {
  const buf = Buffer.allocUnsafe(64 * 1024);
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n === 0) return true;
    size.bytes += n;
    if (size.bytes > MAX_HOOK_INPUT_BYTES) return false;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
}

/** The input, or undefined past MAX_HOOK_INPUT_BYTES: a larger one is not read, let alone parsed. */
function readAll(size: { bytes: number }): string | undefined {
  const chunks: Buffer[] = [];
  let whole: boolean;
  try {
    whole = readInto(0, chunks, size);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    // A non-blocking pipe reports EAGAIN instead of blocking; the device file reads it blocking.
    const fd = openSync('/dev/stdin', 'r');
    try {
      whole = readInto(fd, chunks, size);
    } finally {
      closeSync(fd);
    }
  }
  return whole ? Buffer.concat(chunks).toString('utf8') : undefined;
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
  const size = { bytes: 0 };
  let text: string | undefined;
  try {
    text = readAll(size);
  } catch (err) {
    return { bytes: size.bytes, value: undefined, error: `stdin unreadable: ${(err as Error).message}` };
  }
  if (text === undefined) return { bytes: size.bytes, value: undefined, error: overMax() };
  return parsed(text);
}

function parsed(text: string): HookStdin {
  if (text.trim() === '') return { bytes: text.length, value: undefined, error: 'stdin is empty' };
  try {
    return { bytes: text.length, value: JSON.parse(text) };
  } catch (err) {
    return { bytes: text.length, value: undefined, error: `stdin is not JSON: ${(err as Error).message}` };
  }
}
