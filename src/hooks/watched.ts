// Which tool calls PreToolUse speaks about: edits, and Bash commands that commit or push.
import { gitInvocations, type GitInvocation } from './bash.js';
import type { HookInput } from './input-fields.js';

const EDIT_TOOLS: ReadonlySet<string> = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit']);
const REMINDED_GIT: ReadonlySet<string> = new Set(['commit', 'push']);

export type WatchedCall = { kind: 'edit'; tool: string; file?: string } | { kind: 'git'; invocations: GitInvocation[] };

export function watchedCall(input: Pick<HookInput, 'tool_name' | 'tool_input'>): WatchedCall | undefined {
  const tool = input.tool_name ?? '';
  if (EDIT_TOOLS.has(tool)) {
    const file = input.tool_input?.file_path ?? input.tool_input?.notebook_path;
    return file ? { kind: 'edit', tool, file } : { kind: 'edit', tool };
  }
  if (tool === 'Bash' && input.tool_input?.command) {
    const invocations = gitInvocations(input.tool_input.command).filter((g) => REMINDED_GIT.has(g.subcommand));
    if (invocations.length > 0) return { kind: 'git', invocations };
  }
  return undefined;
}

/**
 * Decided before zod, the config or SQLite are loaded, because most tool calls are none of PreToolUse's business:
 * false only for a well-formed call PreToolUse never speaks about. Anything odd goes the full way (schema, log).
 */
export function mayBeWatched(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return true;
  const { tool_name: tool, tool_input: toolInput } = raw as Record<string, unknown>;
  if (typeof tool !== 'string') return true;
  if (toolInput === undefined) return watchedCall({ tool_name: tool }) !== undefined;
  if (typeof toolInput !== 'object' || toolInput === null) return true;
  const { command } = toolInput as Record<string, unknown>;
  if (command !== undefined && typeof command !== 'string') return true;
  return watchedCall({ tool_name: tool, tool_input: command === undefined ? {} : { command } }) !== undefined;
}
