// Decided before zod, the config, SQLite or the shell parser are loaded, because most tool calls are none of
// PreToolUse's business. It may let through more than PreToolUse speaks about (the parser decides), never less.
import { namesUnlistedGit } from './git-commands.js';

export const EDIT_TOOLS: ReadonlySet<string> = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit']);

/** The longest command the guards read (scripts within it and its traps included); past it, one naming git is asked about. */
export const MAX_READ_CHARS = 1024 * 1024;

/**
 * Whether a Bash command could commit or push (send-pack is push's plumbing), from its text alone, matching what the
 * parser can find: quotes and backslashes may split the words, ANSI-C quoting (`$'\x67it'`) may spell any of them,
 * once git is named a variable, a substitution, a glob or a brace expansion may build its subcommand at run time, and
 * a subcommand git does not ship may be an alias for push.
 */
export function mayCommitOrPush(command: string): boolean {
  if (command.includes("$'")) return true;
  // One regular expression's linear pass: a long command may not be read word by word here.
  if (command.length > MAX_READ_CHARS) return /git|push|commit|send-?pack/i.test(command);
  const text = command.replace(/["'\\]/g, '');
  return (
    /push|commit|send-?pack/i.test(text) || (/git/i.test(text) && (/[$`{*?[]/.test(text) || namesUnlistedGit(text)))
  );
}

/** False only for a well-formed call PreToolUse never speaks about. Anything odd goes the full way (schema, log). */
export function mayBeWatched(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return true;
  const { tool_name: tool, tool_input: toolInput } = raw as Record<string, unknown>;
  if (typeof tool !== 'string' || EDIT_TOOLS.has(tool)) return true;
  if (toolInput === undefined) return false;
  if (typeof toolInput !== 'object' || toolInput === null) return true;
  const { command } = toolInput as Record<string, unknown>;
  if (command === undefined) return false;
  if (typeof command !== 'string') return true;
  return tool === 'Bash' && mayCommitOrPush(command);
}

/**
 * False only for a well-formed PostToolBatch whose calls hold no edit: the batch's edit reminder (PostToolBatch tells
 * it where no PreToolUse runs for edits) never reads such a batch. Anything odd goes the full way.
 */
export function mayHoldEdits(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return true;
  const calls = (raw as Record<string, unknown>).tool_calls;
  if (calls === undefined) return false;
  if (!Array.isArray(calls)) return true;
  return calls.some((c) => {
    if (typeof c !== 'object' || c === null) return true;
    const tool = (c as Record<string, unknown>).tool_name;
    return typeof tool !== 'string' || EDIT_TOOLS.has(tool);
  });
}
